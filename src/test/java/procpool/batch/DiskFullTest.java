package procpool.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

import procpool.chunk.ChunkSizing;
import procpool.task.TaskRegistry;

/**
 * A full disk under the outbox, for real: a small tmpfs, filled up. Whatever write fails (a result chunk, the
 * checkpoint, the rename), the batch fails saying so, keeps its input and leaves no partial file; an incomplete
 * output is never renamed into place.
 */
class DiskFullTest {

    @TempDir
    Path root;
    Path inbox;
    Path outbox;
    SmallDisk disk;
    BatchTracker tracker;
    ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeEach
    void smallOutbox() throws Exception {
        inbox = root.resolve("inbox");
        outbox = root.resolve("outbox");
        disk = SmallDisk.mount(outbox, "1m");
        tracker = new BatchTracker(new BatchFolders(inbox, outbox), TaskRegistry.load(null),
                ChunkSizing.of("2", 1, 100), null);
        log.start();
        ((Logger) LoggerFactory.getLogger(BatchTracker.class)).addAppender(log);
    }

    @AfterEach
    void unmount() throws Exception {
        ((Logger) LoggerFactory.getLogger(BatchTracker.class)).detachAppender(log);
        if (disk != null) {
            disk.close();
        }
    }

    private StartedBatch start(String relative, String content) throws Exception {
        Path file = inbox.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return tracker.start(file);
    }

    /** What a user sees in the outbox (the test's filler left out). */
    private List<String> outboxFiles() throws Exception {
        try (Stream<Path> files = Files.list(outbox)) {
            return files.map(p -> p.getFileName().toString()).filter(name -> !name.equals(".filler")).sorted().toList();
        }
    }

    private String errorLog() {
        return log.list.stream().filter(e -> e.getLevel().toString().equals("ERROR"))
                .map(ILoggingEvent::getFormattedMessage).reduce("", (a, b) -> a + b + "\n");
    }

    @Test
    void aBatchWhoseOutputCannotBeWrittenFailsInsteadOfReportingDone() throws Exception {
        StartedBatch batch = start("square/full.txt", "1\n2\n");
        disk.fill();

        tracker.resultReceived(batch.batchId(), 0, 2, "1\n4", null, 11L);
        tracker.allChunksSent(batch.batchId(), 1);

        assertThat(outboxFiles()).isEmpty();
        assertThat(inbox.resolve(".failed/square/full.txt")).hasContent("1\n2");
        assertThat(inbox.resolve(".done")).doesNotExist();
        assertThat(errorLog()).contains("no space left on device while writing " + outbox.resolve("full.txt"))
                .doesNotContain("done:");
        assertThat(tracker.activeBatches()).isZero();
    }

    @Test
    void whenEvenTheErrorReportCannotBeWrittenTheLogSaysSoAndTheInputIsKept() throws Exception {
        StartedBatch batch = start("square/full.txt", "1\n2\n");
        disk.fill();

        tracker.resultReceived(batch.batchId(), 0, 2, "1\n4", null, 11L);

        assertThat(errorLog()).contains("its error report could not be written (no space left on device while writing "
                + outbox.resolve("full.txt.error") + ")").contains("input moved to " + inbox.resolve(".failed/square/full.txt"));
        assertThat(inbox.resolve(".failed/square/full.txt")).exists();
        assertThat(outboxFiles()).isEmpty();
    }

    @Test
    void aWriteThatFailedOnceFailsTheBatchEvenWhenTheDiskHasRoomAgain() throws Exception {
        String results = "a".repeat(10_000) + "\n" + "b".repeat(10_000);
        StartedBatch batch = start("upper/gap.txt", "a\nb\n".repeat(3));
        tracker.resultReceived(batch.batchId(), 0, 2, results, null, 11L);
        disk.fill();
        tracker.resultReceived(batch.batchId(), 1, 2, results, null, 11L);
        disk.free();
        tracker.resultReceived(batch.batchId(), 2, 2, results, null, 11L);
        tracker.allChunksSent(batch.batchId(), 3);

        assertThat(outbox.resolve("gap.txt")).doesNotExist();
        assertThat(inbox.resolve(".failed/upper/gap.txt")).exists();
        assertThat(inbox.resolve(".done")).doesNotExist();
        assertThat(errorLog()).contains("no space left on device while writing " + outbox.resolve("gap.txt"));
    }

    @Test
    void anOutputLargerThanTheFreeSpaceFailsNamingTheFullDiskAndLeavesNoPartFile() throws Exception {
        String chunk = "x".repeat(40_000) + "\n" + "y".repeat(40_000);
        StartedBatch batch = start("upper/big.txt", "a\nb\n".repeat(10));
        disk.leaveFree(200_000);

        for (int i = 0; i < 10; i++) {
            tracker.resultReceived(batch.batchId(), i, 2, chunk, null, 11L);
        }
        tracker.allChunksSent(batch.batchId(), 10);

        assertThat(outboxFiles()).containsExactly("big.txt.error");
        assertThat(outbox.resolve("big.txt.error")).content()
                .startsWith("error: upper/big.txt: no space left on device while writing " + outbox.resolve("big.txt"));
        assertThat(inbox.resolve(".failed/upper/big.txt")).exists();
    }

    @Test
    void aLaterBatchRunsNormallyOnceTheFullDiskHasRoomAgain() throws Exception {
        StartedBatch failed = start("square/a.txt", "1\n");
        disk.fill();
        tracker.resultReceived(failed.batchId(), 0, 1, "1", null, 11L);
        disk.free();

        StartedBatch next = start("square/b.txt", "2\n");
        tracker.resultReceived(next.batchId(), 0, 1, "4", null, 11L);
        tracker.allChunksSent(next.batchId(), 1);

        assertThat(outboxFiles()).containsExactly("b.txt");
        assertThat(outbox.resolve("b.txt")).hasContent("4");
    }
}
