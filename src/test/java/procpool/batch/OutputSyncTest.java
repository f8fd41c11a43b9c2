package procpool.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class OutputSyncTest {

    /** Runs what it is given only when told to, as a busy syncing thread would. */
    private final List<Runnable> queued = new ArrayList<>();
    private final AtomicInteger syncs = new AtomicInteger();

    private void runQueued() {
        List<Runnable> now = new ArrayList<>(queued);
        queued.clear();
        now.forEach(Runnable::run);
    }

    @Test
    void startsASyncOnceEnoughWasWrittenSinceTheLastOneStarted() {
        OutputSync sync = new OutputSync(syncs::incrementAndGet, queued::add, 100);
        sync.written(99);
        assertThat(queued).isEmpty();

        sync.written(100);
        runQueued();
        sync.written(199);
        runQueued();
        assertThat(syncs).hasValue(1);

        sync.written(200);
        runQueued();
        assertThat(syncs).hasValue(2);
    }

    @Test
    void startsNoSecondSyncWhileOneIsRunning() {
        OutputSync sync = new OutputSync(syncs::incrementAndGet, queued::add, 100);
        sync.written(100);
        sync.written(300);
        sync.written(500);
        assertThat(queued).hasSize(1);
    }

    @Test
    void finishWaitsForTheRunningSync() throws Exception {
        OutputSync sync = new OutputSync(syncs::incrementAndGet, task -> new Thread(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
            task.run();
        }).start(), 100);
        sync.written(100);

        sync.finish();
        assertThat(syncs).hasValue(1);
    }

    @Test
    void aFailedSyncIsRememberedThrownByFinishAndStartsNoOther() {
        OutputSync sync = new OutputSync(() -> {
            syncs.incrementAndGet();
            throw new IOException("Input/output error");
        }, queued::add, 100);
        sync.written(100);
        runQueued();

        sync.written(1_000);
        assertThat(queued).isEmpty();
        assertThat(sync.failure()).hasMessageContaining("syncing it to disk failed")
                .hasMessageContaining("Input/output error");
        assertThatThrownBy(sync::finish).isSameAs(sync.failure());
        assertThat(syncs).hasValue(1);
    }
}
