package procpool.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The ordering on its own, over a sink in memory: no file involved. */
class ChunkOrderTest {

    private final List<String> handedOn = new ArrayList<>();
    private final ChunkOrder<String, IOException> order =
            new ChunkOrder<>(0, (index, chunk) -> handedOn.add(index + ":" + chunk));

    @Test
    void handsChunksOnInInputOrderWhateverOrderTheyArriveIn() throws IOException {
        order.offer(2, "c");
        order.offer(0, "a");
        assertThat(handedOn).containsExactly("0:a");

        order.offer(1, "b");
        assertThat(handedOn).containsExactly("0:a", "1:b", "2:c");
        assertThat(order.contiguous()).isEqualTo(3);
        assertThat(order.waiting()).isZero();
    }

    @Test
    void holdsOnlyTheChunksWaitingForAnEarlierOne() throws IOException {
        order.offer(1, "b");
        order.offer(3, "d");
        assertThat(order.waiting()).isEqualTo(2);
        assertThat(order.contiguous()).isZero();
        assertThat(handedOn).isEmpty();
    }

    @Test
    void aDuplicateOfAChunkHandedOnOrWaitingIsRefused() throws IOException {
        assertThat(order.offer(0, "a")).isTrue();
        assertThat(order.offer(2, "c")).isTrue();
        assertThat(order.offer(0, "a")).isFalse();
        assertThat(order.offer(2, "c")).isFalse();
        assertThat(handedOn).containsExactly("0:a");
    }

    @Test
    void anEmptyChunkCountsButIsNotHandedOn() throws IOException {
        order.offer(0, null);
        order.offer(1, "b");
        assertThat(handedOn).containsExactly("1:b");
        assertThat(order.contiguous()).isEqualTo(2);
    }

    @Test
    void aResumedOrderStartsAfterTheChunksAlreadyThere() throws IOException {
        ChunkOrder<String, IOException> resumed =
                new ChunkOrder<>(2, (index, chunk) -> handedOn.add(index + ":" + chunk));
        assertThat(resumed.offer(1, "b")).as("before the resume point").isFalse();
        resumed.offer(2, "c");
        assertThat(handedOn).containsExactly("2:c");
    }

    @Test
    void aFailingSinkStopsTheHandOverAtThatChunk() throws IOException {
        ChunkOrder<String, IOException> failing = new ChunkOrder<>(0, (index, chunk) -> {
            if (index == 1) {
                throw new IOException("disk full");
            }
            handedOn.add(index + ":" + chunk);
        });
        failing.offer(1, "b");
        assertThatThrownBy(() -> failing.offer(0, "a")).hasMessage("disk full");
        assertThat(handedOn).containsExactly("0:a");
        assertThat(failing.contiguous()).isEqualTo(1);
    }
}
