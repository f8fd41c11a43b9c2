package procpool.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import procpool.batch.HostileFiles;

/**
 * With {@code procpool.inbox.follow-symlinks=true}: a link to a regular file is read through, and only the link
 * moves ({@code .inprogress}, then {@code .done}); links to anything else (a named pipe, a device, a folder, nothing)
 * are still refused.
 */
class FollowedSymlinksInboxTest extends CoordinatorRouteTestSupport {

    @RegisterExtension
    static final BrokerAndWorker infra = new BrokerAndWorker(Map.of(
            "procpool.inbox.follow-symlinks", "true",
            "procpool.inbox.poll-delay-ms", "100",
            "procpool.inbox.read-lock-min-age-ms", "300",
            "procpool.inbox.read-lock-check-interval-ms", "100",
            "procpool.worker.threads", "2"));
    static Path inbox;
    static Path outbox;
    static Path outside;

    @BeforeAll
    static void folders() throws Exception {
        inbox = infra.inbox;
        outbox = infra.outbox;
        outside = Files.createDirectories(infra.root.resolve("outside"));
    }

    @Override
    BrokerAndWorker infra() {
        return infra;
    }

    @AfterEach
    void unblockNamedPipes() throws Exception {
        HostileFiles.releaseNamedPipes(infra.root);
    }

    private static Path link(String relative, Path target) throws Exception {
        Path link = inbox.resolve(relative);
        Files.createDirectories(link.getParent());
        return Files.createSymbolicLink(link, target);
    }

    private static Path awaitEntry(Path file) {
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(file, LinkOption.NOFOLLOW_LINKS));
        return file;
    }

    private static String error(String name) throws Exception {
        return Files.readString(awaitEntry(outbox.resolve(name + ".error")));
    }

    @Test
    void aLinkToARegularFileIsReadAndOnlyTheLinkIsMoved() throws Exception {
        Path target = Files.writeString(outside.resolve("words.txt"), "shout\nthis\n");
        link("upper/words.txt", target);

        assertThat(awaitEntry(outbox.resolve("words.txt"))).hasContent("SHOUT\nTHIS");
        Path done = awaitEntry(inbox.resolve(".done/upper/words.txt"));
        assertThat(Files.isSymbolicLink(done)).isTrue();
        assertThat(Files.readSymbolicLink(done)).isEqualTo(target);
        assertThat(target).hasContent("shout\nthis");
    }

    @Test
    void aRelativeLinkStillLeadsToItsFileOnceMovedOutOfTheInbox() throws Exception {
        Path target = Files.writeString(outside.resolve("relative.txt"), "4\n");
        link("square/relative.txt", Path.of("../../outside/relative.txt"));

        assertThat(awaitEntry(outbox.resolve("relative.txt"))).hasContent("16");
        assertThat(Files.isSymbolicLink(awaitEntry(inbox.resolve(".done/square/relative.txt")))).isTrue();
        assertThat(target).hasContent("4");
    }

    @Test
    void aLinkToADeviceIsStillRefused() throws Exception {
        link("upper/zero.txt", Path.of("/dev/zero"));

        assertThat(error("zero.txt")).startsWith("error: upper/zero.txt: a symbolic link to a character device "
                + "(/dev/zero); procpool follows links only to regular files\n");
        assertThat(Files.isSymbolicLink(awaitEntry(inbox.resolve(".failed/upper/zero.txt")))).isTrue();
    }

    @Test
    void aLinkToANamedPipeIsStillRefused() throws Exception {
        HostileFiles.assumeNamedPipes();
        Path pipe = HostileFiles.mkfifo(outside.resolve("pipe"));
        link("upper/pipe.txt", pipe);

        assertThat(error("pipe.txt")).startsWith("error: upper/pipe.txt: a symbolic link to a named pipe (FIFO) ("
                + pipe + "); procpool follows links only to regular files\n");
        assertThat(HostileFiles.kind(pipe)).isEqualTo("fifo");
    }

    @Test
    void aLinkToAFolderIsStillRefused() throws Exception {
        Path folder = Files.createDirectories(outside.resolve("folder"));
        Path inside = Files.writeString(folder.resolve("inside.txt"), "x\n");
        link("upper/folder", folder);

        assertThat(error("folder")).startsWith("error: upper/folder: a symbolic link to a folder; "
                + "procpool never follows links to folders\n");
        assertThat(inside).hasContent("x");
        assertThat(outbox.resolve("inside.txt")).doesNotExist();
    }

    @Test
    void aBrokenLinkIsRefused() throws Exception {
        link("upper/broken.txt", outside.resolve("missing.txt"));

        assertThat(error("broken.txt")).startsWith("error: upper/broken.txt: a symbolic link to nothing ("
                + outside.resolve("missing.txt") + " does not exist)\n");
        assertThat(Files.isSymbolicLink(awaitEntry(inbox.resolve(".failed/upper/broken.txt")))).isTrue();
    }
}
