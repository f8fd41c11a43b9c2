package procpool.worker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChunkLinesTest {

    @Test
    void cutsABodyIntoAsManyLinesAsItsItems() {
        assertThat(ChunkLines.of("1\n\n3", 3)).containsExactly("1", "", "3");
        assertThat(ChunkLines.of("", 1)).containsExactly("");
        assertThat(ChunkLines.of("a\n", 2)).containsExactly("a", "");
    }

    @Test
    void givesEveryLineOfABodyWhoseCountDiffersFromItsItems() {
        assertThat(ChunkLines.of("1\n2\n3", 2)).containsExactly("1", "2", "3");
        assertThat(ChunkLines.of("1\n2", 3)).containsExactly("1", "2");
    }

    @Test
    void aChunkOfNoItemsHasNoLines() {
        assertThat(ChunkLines.of("", 0)).isEmpty();
    }
}
