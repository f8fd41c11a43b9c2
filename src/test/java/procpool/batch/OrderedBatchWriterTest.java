package procpool.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrderedBatchWriterTest {

    @TempDir
    Path outbox;

    @Test
    void writesChunksInInputOrderWhateverOrderTheyArriveIn() throws Exception {
        Path target = outbox.resolve("out.txt");
        try (OrderedBatchWriter writer = new OrderedBatchWriter(outbox, "b1")) {
            writer.accept(2, "5\n6", 2);
            writer.accept(0, "1\n2", 2);
            writer.accept(1, "3\n4", 2);
            writer.commit(target);
        }
        assertThat(Files.readString(target)).isEqualTo("1\n2\n3\n4\n5\n6\n");
    }

    @Test
    void holdsOnlyChunksThatWaitForAnEarlierOne() throws Exception {
        try (OrderedBatchWriter writer = new OrderedBatchWriter(outbox, "b1")) {
            writer.accept(1, "b", 1);
            writer.accept(2, "c", 1);
            assertThat(writer.waitingChunks()).isEqualTo(2);
            assertThat(writer.contiguousChunks()).isZero();

            writer.accept(0, "a", 1);
            assertThat(writer.waitingChunks()).isZero();
            assertThat(writer.contiguousChunks()).isEqualTo(3);
        }
    }

    @Test
    void ignoresADuplicateOfAChunkWrittenOrWaiting() throws Exception {
        Path target = outbox.resolve("out.txt");
        try (OrderedBatchWriter writer = new OrderedBatchWriter(outbox, "b1")) {
            assertThat(writer.accept(0, "a", 1)).isTrue();
            assertThat(writer.accept(2, "c", 1)).isTrue();
            assertThat(writer.accept(0, "a", 1)).isFalse();
            assertThat(writer.accept(2, "c", 1)).isFalse();
            writer.accept(1, "b", 1);
            writer.commit(target);
        }
        assertThat(Files.readString(target)).isEqualTo("a\nb\nc\n");
    }

    @Test
    void theOutputAppearsOnlyWhenCommitted() throws Exception {
        Path target = outbox.resolve("out.txt");
        try (OrderedBatchWriter writer = new OrderedBatchWriter(outbox, "b1")) {
            writer.accept(0, "new", 1);
            assertThat(target).doesNotExist();
            writer.commit(target);
        }
        assertThat(Files.readString(target)).isEqualTo("new\n");
        assertThat(filesIn(outbox)).containsExactly("out.txt");
    }

    @Test
    void anEmptyChunkWritesNoLine() throws Exception {
        Path target = outbox.resolve("empty.txt");
        try (OrderedBatchWriter writer = new OrderedBatchWriter(outbox, "b1")) {
            writer.accept(0, "", 0);
            writer.commit(target);
        }
        assertThat(Files.readString(target)).isEmpty();
    }

    @Test
    void abortLeavesNoTrace() throws Exception {
        OrderedBatchWriter writer = new OrderedBatchWriter(outbox, "b1");
        writer.accept(0, "a", 1);
        writer.abort();

        assertThat(filesIn(outbox)).isEmpty();
    }

    @Test
    void afterAFailedWriteEveryLaterCallFailsAndTheOutputIsNeverRenamed() throws Exception {
        Path target = outbox.resolve("out.txt");
        OrderedBatchWriter writer = new OrderedBatchWriter(outbox, "b1");
        writer.accept(0, "a", 1);
        writer.close(); // the next write fails, as on a full disk

        assertThatThrownBy(() -> writer.accept(1, "b", 1)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> writer.accept(2, "c", 1)).hasMessageContaining("an earlier write of this output failed");
        assertThatThrownBy(writer::checkpoint).hasMessageContaining("an earlier write of this output failed");
        assertThatThrownBy(() -> writer.commit(target)).isInstanceOf(IOException.class);
        assertThat(target).doesNotExist();

        writer.abort();
        assertThat(filesIn(outbox)).isEmpty();
    }

    private static Stream<String> filesIn(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).toList().stream();
        }
    }

    @Test
    void neverWritesThroughALinkPlantedAtItsTemporaryName() throws Exception {
        Path victim = Files.writeString(outbox.resolve("victim.txt"), "keep me");
        Files.createSymbolicLink(OrderedBatchWriter.partFile(outbox, "b1"), victim);

        assertThatThrownBy(() -> new OrderedBatchWriter(outbox, "b1")).isInstanceOf(IOException.class);
        assertThat(victim).hasContent("keep me");
    }

    /** A chunk of {@code lines} results of 13 characters, as a 1,000,000-square batch's are. */
    private static String results(int lines) {
        return String.join("\n", java.util.Collections.nCopies(lines, "1000000000000"));
    }

    /** Chunks written until the output holds more than the bytes that start a background sync. */
    private static int writeMoreThanASyncAhead(OrderedBatchWriter writer, int firstChunk) throws Exception {
        int chunk = firstChunk;
        while (writer.writtenBytes() <= OutputSync.AHEAD_BYTES) {
            writer.accept(chunk++, results(20_000), 20_000);
        }
        return chunk;
    }

    @Test
    void theOutputIsSyncedWholeBeforeItIsRenamed() throws Exception {
        Path target = outbox.resolve("out.txt");
        WatchedChannel[] watched = new WatchedChannel[1];
        try (OrderedBatchWriter writer = new OrderedBatchWriter(outbox, "b1", 0, 0, null,
                real -> watched[0] = new WatchedChannel(real, target, null))) {
            int chunks = writeMoreThanASyncAhead(writer, 0);
            writer.accept(chunks, "last", 1);
            writer.commit(target);
        }
        WatchedChannel.Sync last = watched[0].syncs.get(watched[0].syncs.size() - 1);
        assertThat(last.size()).isEqualTo(Files.size(target));
        assertThat(last.metaData()).isTrue();
        assertThat(last.targetExisted()).isFalse();
        assertThat(Files.readString(target)).endsWith("\nlast\n");
    }

    @Test
    void writtenChunksAreSyncedInTheBackgroundWhileTheBatchGoesOn() throws Exception {
        Path target = outbox.resolve("out.txt");
        WatchedChannel[] watched = new WatchedChannel[1];
        try (OrderedBatchWriter writer = new OrderedBatchWriter(outbox, "b1", 0, 0, null,
                real -> watched[0] = new WatchedChannel(real, target, null))) {
            writeMoreThanASyncAhead(writer, 0);

            await().atMost(Duration.ofSeconds(10)).until(() -> watched[0].syncs.stream()
                    .anyMatch(sync -> sync.thread().equals("procpool-output-sync")
                            && sync.size() > OutputSync.AHEAD_BYTES));
            assertThat(target).doesNotExist();
            writer.abort();
        }
    }

    @Test
    void aSmallOutputIsNotSyncedInTheBackground() throws Exception {
        Path target = outbox.resolve("out.txt");
        WatchedChannel[] watched = new WatchedChannel[1];
        try (OrderedBatchWriter writer = new OrderedBatchWriter(outbox, "b1", 0, 0, null,
                real -> watched[0] = new WatchedChannel(real, target, null))) {
            writer.accept(0, results(1_000), 1_000);
            writer.commit(target);
        }
        assertThat(watched[0].syncs).extracting(WatchedChannel.Sync::thread)
                .containsExactly(Thread.currentThread().getName());
    }

    @Test
    void afterAFailedBackgroundSyncTheNextChunkFailsAndTheOutputIsNeverRenamed() throws Exception {
        Path target = outbox.resolve("out.txt");
        WatchedChannel[] watched = new WatchedChannel[1];
        OrderedBatchWriter writer = new OrderedBatchWriter(outbox, "b1", 0, 0, null,
                real -> watched[0] = new WatchedChannel(real, target, "procpool-output-sync"));
        int next = writeMoreThanASyncAhead(writer, 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> !watched[0].syncs.isEmpty());

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThatThrownBy(
                () -> writer.accept(next, "x", 1)).hasMessageContaining("syncing it to disk failed"));
        assertThatThrownBy(writer::checkpoint).hasMessageContaining("an earlier write of this output failed");
        assertThatThrownBy(() -> writer.commit(target)).isInstanceOf(IOException.class);
        assertThat(target).doesNotExist();

        writer.abort();
        assertThat(filesIn(outbox)).isEmpty();
    }

    @Test
    void aBackgroundSyncFailingAfterTheLastChunkFailsTheCommitAndTheOutputIsNeverRenamed() throws Exception {
        Path target = outbox.resolve("out.txt");
        OrderedBatchWriter writer = new OrderedBatchWriter(outbox, "b1", 0, 0, null,
                real -> new WatchedChannel(real, target, "procpool-output-sync"));
        writeMoreThanASyncAhead(writer, 0);

        assertThatThrownBy(() -> writer.commit(target)).hasMessageContaining("syncing it to disk failed");
        assertThat(target).doesNotExist();
        writer.abort();
        assertThat(filesIn(outbox)).isEmpty();
    }
}
