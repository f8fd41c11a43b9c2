package procpool.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.Test;

/** A map call's aggregation on its own (the chunks as the JMS thread hands them over), without broker or workers. */
class MapCallTest {

    private final MapCall call = new MapCall(3);

    @Test
    void completesWithAllResultsInInputOrderWhateverOrderTheChunksArriveIn() {
        call.accept(success(2, "e"));
        call.accept(success(0, "a", "b"));
        assertThat(call.future).isNotDone();

        call.accept(success(1, "c", "d"));
        assertThat(call.future).isCompletedWithValue(List.of("a", "b", "c", "d", "e"));
    }

    @Test
    void aDuplicateChunkIsIgnored() {
        call.accept(success(0, "a"));
        call.accept(success(0, "a"));
        call.accept(success(1, "b"));
        call.accept(success(1, "b"));
        call.accept(success(2, "c"));
        assertThat(call.future).isCompletedWithValue(List.of("a", "b", "c"));
    }

    @Test
    void theFirstFailureWinsAndLaterChunksAreIgnored() {
        TaskFailedException first = failure("first");
        call.accept(success(1, "b"));
        call.accept(new ChunkResult(2, List.of(), first));
        call.accept(new ChunkResult(0, List.of(), failure("second")));
        call.accept(success(0, "a"));
        assertThat(call.future).failsWithin(Duration.ZERO).withThrowableOfType(ExecutionException.class)
                .withCause(first);
    }

    private static ChunkResult success(int chunkIndex, String... results) {
        return new ChunkResult(chunkIndex, List.of(results), null);
    }

    private static TaskFailedException failure(String cause) {
        return new TaskFailedException("square", 0, "x", 1, cause, "");
    }
}
