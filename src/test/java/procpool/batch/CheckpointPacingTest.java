package procpool.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class CheckpointPacingTest {

    private final AtomicLong now = new AtomicLong(5_000_000_000L);
    private final CheckpointPacing pacing = new CheckpointPacing(200, now::get);

    @Test
    void theFirstWrittenChunkIsCheckpointedAtOnce() {
        assertThat(pacing.due()).isTrue();
    }

    @Test
    void noCheckpointIsDueWithinTheIntervalAfterOne() {
        pacing.checkpointed();
        now.addAndGet(199_999_999L);

        assertThat(pacing.due()).isFalse();
    }

    @Test
    void aCheckpointIsDueOnceTheIntervalHasPassed() {
        pacing.checkpointed();
        now.addAndGet(200_000_000L);

        assertThat(pacing.due()).isTrue();
    }

    @Test
    void anIntervalOfZeroCheckpointsEveryWrittenChunk() {
        CheckpointPacing everyChunk = new CheckpointPacing(0, now::get);
        everyChunk.checkpointed();

        assertThat(everyChunk.due()).isTrue();
    }
}
