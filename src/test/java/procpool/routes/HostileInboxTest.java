package procpool.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import procpool.batch.HostileFiles;
import procpool.chunk.Chunk;
import procpool.chunk.ChunkReader;
import procpool.protocol.Headers;

/**
 * Inbox entries that are not regular files in their task folder (links, named pipes, devices, sockets, linked
 * folders) are refused with an error naming them, moved themselves to {@code inbox/.failed/}, and never followed
 * or opened; nothing outside the inbox is ever moved, and none of them holds up the files dropped after it.
 * Real broker, worker route and files; Linux file types ({@code mkfifo}, {@code mknod}) are skipped elsewhere.
 */
class HostileInboxTest extends CoordinatorRouteTestSupport {

    private static final String LINK_REFUSED = "a symbolic link; procpool reads only regular files "
            + "(set procpool.inbox.follow-symlinks=true to allow links to regular files)";

    @RegisterExtension
    static final BrokerAndWorker infra = new BrokerAndWorker(Map.of(
            "procpool.inbox.poll-delay-ms", "100",
            "procpool.inbox.read-lock-min-age-ms", "300",
            "procpool.inbox.read-lock-check-interval-ms", "100",
            "procpool.worker.threads", "2"));
    static Path root;
    static Path inbox;
    static Path outbox;
    /** A folder beside the inbox, standing for everything a link in the inbox could point to. */
    static Path outside;

    @BeforeAll
    static void folders() throws Exception {
        root = infra.root;
        inbox = infra.inbox;
        outbox = infra.outbox;
        outside = Files.createDirectories(root.resolve("outside"));
    }

    @Override
    BrokerAndWorker infra() {
        return infra;
    }

    /** A reader stuck in open() on a named pipe is let go: opening it for reading and writing never blocks. */
    @AfterEach
    void unblockNamedPipes() throws Exception {
        HostileFiles.releaseNamedPipes(root);
    }

    private static Path drop(String relative, String content) throws Exception {
        Path staging = Files.createDirectories(root.resolve("staging")).resolve(Path.of(relative).getFileName());
        Files.writeString(staging, content, StandardCharsets.UTF_8);
        Path target = inbox.resolve(relative);
        Files.createDirectories(target.getParent());
        return Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    }

    private static Path inTaskFolder(String relative) throws Exception {
        Path entry = inbox.resolve(relative);
        Files.createDirectories(entry.getParent());
        return entry;
    }

    private static String awaitError(String name) throws Exception {
        Path error = outbox.resolve(name + ".error");
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(error));
        return Files.readString(error);
    }

    private static Path awaitFailed(String relative) {
        Path failed = inbox.resolve(".failed").resolve(relative);
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(failed, LinkOption.NOFOLLOW_LINKS));
        return failed;
    }

    private static Path secret(String name, String content) throws Exception {
        return Files.writeString(outside.resolve(name), content);
    }

    @Test
    void aSymlinkToAFileOutsideTheInboxIsRefusedNotFollowed() throws Exception {
        Path secret = secret("passwd", "root:x:0:0\n");
        Files.createSymbolicLink(inTaskFolder("upper/p.txt"), secret);

        assertThat(awaitError("p.txt")).startsWith("error: upper/p.txt: " + LINK_REFUSED + "\n");
        assertThat(outbox.resolve("p.txt")).doesNotExist();
        assertThat(Files.isSymbolicLink(awaitFailed("upper/p.txt"))).isTrue();
        assertThat(Files.readSymbolicLink(inbox.resolve(".failed/upper/p.txt"))).isEqualTo(secret);
        assertThat(secret).hasContent("root:x:0:0");
    }

    @Test
    void aSymlinkToTheCoordinatorsEnvironmentIsRefused() throws Exception {
        Path environ = Path.of("/proc", Long.toString(ProcessHandle.current().pid()), "environ");
        Assumptions.assumeTrue(Files.exists(environ), "needs Linux /proc");
        Files.createSymbolicLink(inTaskFolder("echo/env.txt"), environ);

        assertThat(awaitError("env.txt")).startsWith("error: echo/env.txt: " + LINK_REFUSED + "\n");
        assertThat(outbox.resolve("env.txt")).doesNotExist();
        assertThat(Files.isSymbolicLink(awaitFailed("echo/env.txt"))).isTrue();
    }

    @Test
    void aSymlinkedFolderInATaskFolderIsRefusedAndNothingOutsideTheInboxIsMoved() throws Exception {
        Path folder = Files.createDirectories(outside.resolve("photos"));
        Path photo = Files.writeString(folder.resolve("cat.txt"), "meow\n");
        Files.createSymbolicLink(inTaskFolder("upper/photos"), folder);

        assertThat(awaitError("photos")).startsWith("error: upper/photos: a symbolic link to a folder; "
                + "procpool never follows links to folders\n");
        assertThat(Files.isSymbolicLink(awaitFailed("upper/photos"))).isTrue();
        assertThat(photo).hasContent("meow");
        assertThat(inbox.resolve(".failed/upper/photos/cat.txt")).exists(); // through the moved link, still there
        assertThat(outbox.resolve("cat.txt")).doesNotExist();
        assertThat(outbox.resolve("cat.txt.error")).doesNotExist();
    }

    @Test
    void aSymlinkedTaskFolderIsRefusedAndNothingOutsideTheInboxIsMoved() throws Exception {
        Path folder = Files.createDirectories(outside.resolve("documents"));
        Path document = Files.writeString(folder.resolve("letter.txt"), "dear\n");
        Files.createSymbolicLink(inbox.resolve("sha256"), folder);

        assertThat(awaitError("sha256")).startsWith("error: sha256: a symbolic link to a folder; "
                + "procpool never follows links to folders\n");
        assertThat(Files.isSymbolicLink(awaitFailed("sha256"))).isTrue();
        assertThat(document).hasContent("dear");
        assertThat(outbox.resolve("letter.txt")).doesNotExist();
    }

    @Test
    void aNamedPipeIsRefusedWithoutBeingOpened() throws Exception {
        HostileFiles.assumeNamedPipes();
        HostileFiles.mkfifo(inTaskFolder("upper/f.txt"));

        assertThat(awaitError("f.txt")).startsWith("error: upper/f.txt: a named pipe (FIFO); "
                + "procpool reads only regular files\n");
        assertThat(HostileFiles.kind(awaitFailed("upper/f.txt"))).isEqualTo("fifo");
    }

    @Test
    void aNamedPipeDoesNotStopTheInbox() throws Exception {
        HostileFiles.assumeNamedPipes();
        HostileFiles.mkfifo(inTaskFolder("upper/stuck.txt"));
        awaitFailed("upper/stuck.txt");
        drop("upper/after-pipe.txt", "still\nworks\n");

        Path output = outbox.resolve("after-pipe.txt");
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(output));
        assertThat(output).hasContent("STILL\nWORKS");
    }

    @Test
    void aSymlinkToAnEndlessDeviceDoesNotStopTheInbox() throws Exception {
        Files.createSymbolicLink(inTaskFolder("upper/zero.txt"), Path.of("/dev/zero"));
        drop("upper/after-zero.txt", "fine\n");

        Path output = outbox.resolve("after-zero.txt");
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(output));
        assertThat(output).hasContent("FINE");
        assertThat(awaitError("zero.txt")).startsWith("error: upper/zero.txt: " + LINK_REFUSED + "\n");
    }

    @Test
    void aDeviceIsRefusedWithoutBeingOpened() throws Exception {
        Path device = inTaskFolder("upper/null.txt");
        HostileFiles.assumeMknod(device, "c", 1, 3);

        assertThat(awaitError("null.txt")).startsWith("error: upper/null.txt: a character device; "
                + "procpool reads only regular files\n");
        assertThat(HostileFiles.kind(awaitFailed("upper/null.txt"))).isEqualTo("character device");
    }

    @Test
    void aSocketIsRefused() throws Exception {
        Path socket = inTaskFolder("upper/s.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));

            assertThat(awaitError("s.sock")).startsWith("error: upper/s.sock: a socket; "
                    + "procpool reads only regular files\n");
            assertThat(HostileFiles.kind(awaitFailed("upper/s.sock"))).isEqualTo("socket");
        }
    }

    @Test
    void aRegularFileBesideRefusedEntriesStillRuns() throws Exception {
        Files.createSymbolicLink(inTaskFolder("square/link.txt"), secret("numbers", "2\n"));
        drop("square/real.txt", "3\n");

        Path output = outbox.resolve("real.txt");
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(output));
        assertThat(output).hasContent("9");
        assertThat(inbox.resolve(".done/square/real.txt")).isRegularFile();
        awaitError("link.txt");
    }

    @Test
    void anInputStuckInReadingHoldsOnlyItsOwnBatch() throws Exception {
        HostileFiles.assumeNamedPipes();
        // a batch whose input blocks when read (a named pipe no one writes, as a hung file system would), read as
        // every batch is read: by the batch sender, on that batch's own thread
        Path pipe = HostileFiles.mkfifo(root.resolve("stuck-pipe"));
        sendBody(ChunkSenderRouteBuilder.BATCHES, new ReadOnFirstUse(pipe), Map.<String, Object>of(
                Headers.BATCH_ID, "5bad5bad", Headers.TASK, "upper", Headers.SOURCE, "stuck-pipe"));
        drop("upper/after-stuck.txt", "not\nheld\n");

        Path output = outbox.resolve("after-stuck.txt");
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(output));
        assertThat(output).hasContent("NOT\nHELD");
    }

    /** Chunks of a file that is opened only when the first chunk is asked for. */
    private static final class ReadOnFirstUse implements Iterator<Chunk> {

        private final Path file;
        private ChunkReader reader;

        ReadOnFirstUse(Path file) {
            this.file = file;
        }

        private ChunkReader reader() {
            try {
                if (reader == null) {
                    reader = new ChunkReader(file, 10);
                }
                return reader;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public boolean hasNext() {
            return reader().hasNext();
        }

        @Override
        public Chunk next() {
            return reader().next();
        }
    }
}
