package procpool.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import procpool.chunk.ChunkSizing;
import procpool.task.TaskRegistry;

/**
 * The tracker and folders against inbox entries that are not regular files: they are refused without being opened,
 * only the entry itself is ever moved, and nothing outside the inbox is moved or written through a link.
 */
class HostileInputTest {

    private static final Duration NEVER_BLOCKS = Duration.ofSeconds(5);

    @TempDir
    Path root;
    Path inbox;
    Path outbox;
    Path outside;
    BatchTracker tracker;

    @BeforeEach
    void tracker() throws Exception {
        inbox = root.resolve("inbox");
        outbox = root.resolve("outbox");
        outside = Files.createDirectories(root.resolve("outside"));
        tracker = new BatchTracker(new BatchFolders(inbox, outbox), TaskRegistry.load(null),
                ChunkSizing.of("2", 1, 100), null);
    }

    @AfterEach
    void unblockNamedPipes() throws Exception {
        HostileFiles.releaseNamedPipes(root);
    }

    private Path inTaskFolder(String relative) throws Exception {
        return Files.createDirectories(inbox.resolve(relative).getParent()).resolve(Path.of(relative).getFileName());
    }

    @Test
    void startingANamedPipeRefusesItWithoutOpeningIt() throws Exception {
        HostileFiles.assumeNamedPipes();
        Path pipe = HostileFiles.mkfifo(inTaskFolder("square/f.txt"));

        assertTimeoutPreemptively(NEVER_BLOCKS, () -> assertThatThrownBy(() -> tracker.start(pipe))
                .isInstanceOf(BatchRejectedException.class)
                .hasMessage("square/f.txt: a named pipe (FIFO); procpool reads only regular files"));
        assertThat(HostileFiles.kind(inbox.resolve(".failed/square/f.txt"))).isEqualTo("fifo");
        assertThat(outbox.resolve("f.txt.error")).content().startsWith("error: square/f.txt: a named pipe (FIFO)");
    }

    @Test
    void claimingDoesNotReadTheInputItsBatchBeginsLater() throws Exception {
        Path file = Files.writeString(inTaskFolder("square/a.txt"), "1\n2\n3\n");

        ClaimedBatch claimed = tracker.claim(file, false);
        assertThat(claimed.input()).isRegularFile().startsWith(inbox.resolve(".inprogress"));
        assertThat(tracker.activeBatches()).as("not begun: its lines are not counted yet").isZero();

        StartedBatch started = tracker.begin(claimed);
        assertThat(started.batchId()).isEqualTo(claimed.batchId());
        assertThat(tracker.activeBatches()).isOne();
    }

    @Test
    void anInputSwappedForANamedPipeOnceClaimedIsRefusedBeforeItIsOpened() throws Exception {
        HostileFiles.assumeNamedPipes();
        ClaimedBatch claimed = tracker.claim(Files.writeString(inTaskFolder("square/a.txt"), "1\n"), false);
        Files.delete(claimed.input());
        HostileFiles.mkfifo(claimed.input());

        assertTimeoutPreemptively(NEVER_BLOCKS, () -> assertThatThrownBy(() -> tracker.begin(claimed))
                .isInstanceOf(BatchRejectedException.class)
                .hasMessage("square/a.txt: a named pipe (FIFO); procpool reads only regular files"));
        assertThat(HostileFiles.kind(inbox.resolve(".failed/square/a.txt"))).isEqualTo("fifo");
    }

    @Test
    void anInputSwappedForALinkOnceClaimedIsRefused() throws Exception {
        ClaimedBatch claimed = tracker.claim(Files.writeString(inTaskFolder("square/a.txt"), "1\n"), false);
        Path secret = Files.writeString(outside.resolve("secret"), "42\n");
        Files.delete(claimed.input());
        Files.createSymbolicLink(claimed.input(), secret);

        assertThatThrownBy(() -> tracker.begin(claimed)).isInstanceOf(BatchRejectedException.class)
                .hasMessageStartingWith("square/a.txt: a symbolic link; procpool reads only regular files");
        assertThat(Files.isSymbolicLink(inbox.resolve(".failed/square/a.txt"))).isTrue();
        assertThat(secret).hasContent("42");
    }

    @Test
    void claimingAnAllowedLinkMovesTheLinkNotItsTarget() throws Exception {
        Path target = Files.writeString(outside.resolve("numbers.txt"), "1\n2\n");
        Path link = Files.createSymbolicLink(inTaskFolder("square/n.txt"), target);

        ClaimedBatch claimed = tracker.claim(link, true);

        assertThat(target).hasContent("1\n2");
        assertThat(Files.isSymbolicLink(claimed.input())).isTrue();
        assertThat(Files.exists(link, LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(tracker.begin(claimed).chunkSize()).isEqualTo(2);
    }

    @Test
    void aClaimedRelativeLinkStillLeadsToItsTarget() throws Exception {
        Path target = Files.writeString(outside.resolve("numbers.txt"), "7\n");
        Path link = Files.createSymbolicLink(inTaskFolder("square/n.txt"), Path.of("../../outside/numbers.txt"));

        ClaimedBatch claimed = tracker.claim(link, true);

        assertThat(Files.readSymbolicLink(claimed.input())).isAbsolute();
        assertThat(claimed.input()).hasContent("7");
        assertThat(Files.isSameFile(claimed.input(), target)).isTrue();
    }

    @Test
    void aPathOutsideTheInboxIsNeverTakenForAnInput() {
        assertThatThrownBy(() -> tracker.claim(outside.resolve("secret"), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not in the inbox");
    }

    @Test
    void aFailedFolderThatIsALinkIsNotWrittenThrough() throws Exception {
        Path elsewhere = Files.createDirectories(outside.resolve("elsewhere"));
        Files.createDirectories(inbox);
        Files.createSymbolicLink(inbox.resolve(".failed"), elsewhere);
        Path link = Files.createSymbolicLink(inTaskFolder("square/p.txt"), outside.resolve("missing"));

        assertThatThrownBy(() -> tracker.claim(link, false)).isInstanceOf(BatchRejectedException.class);

        try (var moved = Files.list(elsewhere)) {
            assertThat(moved).isEmpty();
        }
        assertThat(Files.isSymbolicLink(link)).as("left where it was").isTrue();
    }

    @Test
    void recoveryPutsAnInterruptedLinkBackWithoutFollowingIt() throws Exception {
        Path target = Files.writeString(outside.resolve("numbers.txt"), "1\n");
        Path claimed = Files.createDirectories(inbox.resolve(".inprogress/0badc0de/square")).resolve("n.txt");
        Files.createSymbolicLink(claimed, target);
        List<Path> requeued = new ArrayList<>();

        assertThat(new BatchFolders(inbox, outbox).recoverInterrupted(requeued)).isEmpty();

        assertThat(requeued).containsExactly(inbox.resolve("square/n.txt"));
        assertThat(Files.isSymbolicLink(inbox.resolve("square/n.txt"))).isTrue();
        assertThat(target).hasContent("1");
    }

    @Test
    void recoveryNeverOpensANamedPipePlantedAsACheckpoint() throws Exception {
        HostileFiles.assumeNamedPipes();
        Path batch = Files.createDirectories(inbox.resolve(".inprogress/0badc0de/square"));
        Files.writeString(batch.resolve("a.txt"), "1\n");
        HostileFiles.mkfifo(batch.getParent().resolve(".state"));
        List<Path> requeued = new ArrayList<>();

        assertTimeoutPreemptively(NEVER_BLOCKS, () -> new BatchFolders(inbox, outbox).recoverInterrupted(requeued));

        assertThat(requeued).containsExactly(inbox.resolve("square/a.txt"));
    }

    @Test
    void recoveryLeavesALinkedBatchFolderAlone() throws Exception {
        Path elsewhere = Files.createDirectories(outside.resolve("square"));
        Path precious = Files.writeString(elsewhere.resolve("precious.txt"), "keep\n");
        Files.createDirectories(inbox.resolve(".inprogress"));
        Files.createSymbolicLink(inbox.resolve(".inprogress/0badc0de"), outside);
        List<Path> requeued = new ArrayList<>();

        new BatchFolders(inbox, outbox).recoverInterrupted(requeued);

        assertThat(requeued).isEmpty();
        assertThat(precious).hasContent("keep");
    }

    @Test
    void recoveryRefusesAnInProgressFolderThatIsALink() throws Exception {
        Path elsewhere = Files.createDirectories(outside.resolve("batches/0badc0de/square"));
        Files.writeString(elsewhere.resolve("a.txt"), "1\n");
        Files.createDirectories(inbox);
        Files.createSymbolicLink(inbox.resolve(".inprogress"), outside.resolve("batches"));

        assertThatThrownBy(() -> new BatchFolders(inbox, outbox).recoverInterrupted(new ArrayList<>()))
                .hasMessageContaining(".inprogress is a symbolic link");
        assertThat(elsewhere.resolve("a.txt")).hasContent("1");
    }

    @Test
    void aCheckpointNeverWritesThroughALinkPlantedInTheBatchFolder() throws Exception {
        Path victim = Files.writeString(outside.resolve("victim"), "precious\n");
        StartedBatch batch = tracker.start(Files.writeString(inTaskFolder("square/a.txt"), "1\n2\n3\n"));
        Path batchFolder = inbox.resolve(".inprogress").resolve(batch.batchId());
        Files.createSymbolicLink(batchFolder.resolve(".state.tmp"), victim);

        tracker.resultReceived(batch.batchId(), 0, 2, "1\n4", null, 11L);

        assertThat(victim).hasContent("precious");
        assertThat(batchFolder.resolve(".state")).isRegularFile().content().contains("writtenChunks=1");
    }

    @Test
    void aJobIsNeverWrittenThroughALinkedInProgressFolder() throws Exception {
        Path elsewhere = Files.createDirectories(outside.resolve("elsewhere"));
        Files.createDirectories(inbox);
        Files.createSymbolicLink(inbox.resolve(".inprogress"), elsewhere);

        assertThatThrownBy(() -> tracker.startJob("square", "job.txt", "1\n".getBytes(), null, null))
                .hasMessageContaining("is a symbolic link");
        try (var written = Files.list(elsewhere)) {
            assertThat(written).isEmpty();
        }
    }
}
