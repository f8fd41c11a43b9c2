package procpool.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import procpool.chunk.ChunkSizing;
import procpool.task.TaskRegistry;

/** Where each step of a batch's life is taken, on real folders. */
class BatchLifecycleTest {

    @TempDir
    Path root;
    Path inbox;
    Path outbox;
    BatchLifecycle lifecycle;
    BatchIntake intake;

    @BeforeEach
    void lifecycle() throws Exception {
        inbox = root.resolve("inbox");
        outbox = root.resolve("outbox");
        BatchFolders folders = new BatchFolders(inbox, outbox);
        BatchDelivery delivery = new BatchDelivery(folders, null);
        lifecycle = new BatchLifecycle(folders, delivery);
        intake = new BatchIntake(folders, TaskRegistry.load(null), ChunkSizing.of("2", 1, 100), delivery, 16,
                lifecycle::inUse);
    }

    private Batch registered(String content) throws Exception {
        Path file = Files.writeString(Files.createDirectories(inbox.resolve("square")).resolve("a.txt"), content);
        Batch batch = intake.begin(intake.claim(file, false));
        lifecycle.register(batch);
        return batch;
    }

    /** As the tracker calls it: holding the batch's monitor. */
    private void settle(Batch batch) {
        synchronized (batch) {
            lifecycle.settleIfAllAnswered(batch);
        }
    }

    @Test
    void aBatchBeginsRunning() throws Exception {
        assertThat(registered("1\n").phase()).isEqualTo(BatchPhase.RUNNING);
    }

    @Test
    void aRunningBatchWithEveryChunkAnsweredIsDone() throws Exception {
        Batch batch = registered("1\n");
        batch.window.allSent(1);
        batch.window.answer(0);
        batch.writer.accept(0, "1", 1);

        settle(batch);

        assertThat(batch.phase()).isEqualTo(BatchPhase.DONE);
        assertThat(lifecycle.get(batch.id)).isNull();
        assertThat(lifecycle.firstNewsOf(batch.id)).as("remembered as finished").isFalse();
    }

    @Test
    void aBatchWithUnansweredChunksIsNotSettled() throws Exception {
        Batch batch = registered("1\n2\n3\n");
        batch.window.allSent(2);
        batch.window.answer(0);

        settle(batch);

        assertThat(batch.phase()).isEqualTo(BatchPhase.RUNNING);
        assertThat(lifecycle.get(batch.id)).isSameAs(batch);
    }

    @Test
    void aFailingBatchEndsFailedOnceEveryChunkIsAnswered() throws Exception {
        Batch batch = registered("x\n");
        lifecycle.startFailing(batch);
        assertThat(batch.phase()).isEqualTo(BatchPhase.FAILING);
        batch.errors.add(new ErrorReport.LineError(1, "a.txt line 1: bad"));
        batch.window.allSent(1);
        batch.window.answer(0);

        settle(batch);

        assertThat(batch.phase()).isEqualTo(BatchPhase.FAILED);
        assertThat(Files.readString(outbox.resolve("a.txt.error"))).startsWith("error: a.txt line 1: bad\n");
    }

    @Test
    void startingToFailTwiceIsOneStep() throws Exception {
        Batch batch = registered("x\n");
        lifecycle.startFailing(batch);
        lifecycle.startFailing(batch);
        assertThat(batch.phase()).isEqualTo(BatchPhase.FAILING);
    }

    @Test
    void aFailedBatchIsFailedOnlyOnce() throws Exception {
        Batch batch = registered("1\n");
        lifecycle.fail(batch.id, "first reason");
        synchronized (batch) {
            lifecycle.failNow(batch, "second reason");
        }

        assertThat(batch.phase()).isEqualTo(BatchPhase.FAILED);
        assertThat(Files.readString(outbox.resolve("a.txt.error"))).startsWith("error: first reason\n")
                .doesNotContain("second reason");
    }

    @Test
    void aHaltedLifecycleFailsNoBatch() throws Exception {
        Batch batch = registered("1\n");
        lifecycle.halt("the broker stopped");

        lifecycle.fail(batch.id, "send failed");

        assertThat(batch.phase()).isEqualTo(BatchPhase.RUNNING);
        assertThat(batch.claimedInput).exists();
        assertThat(outbox.resolve("a.txt.error")).doesNotExist();
    }
}
