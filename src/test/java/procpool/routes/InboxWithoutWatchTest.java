package procpool.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * When the inbox watch is gone (closed here; a file system without one, or lost events, alike) the timed scans still
 * find every file, and the read lock goes by the file's own times. Real broker, worker and folders.
 */
class InboxWithoutWatchTest extends CoordinatorRouteTestSupport {

    @RegisterExtension
    static final BrokerAndWorker infra = new BrokerAndWorker(Map.of(
            "procpool.inbox.poll-delay-ms", "200",
            // no file is taken for its age in this test: only the moved-in rule can take it
            "procpool.inbox.read-lock-min-age-ms", "600000",
            "procpool.inbox.read-lock-check-interval-ms", "100",
            "procpool.worker.threads", "2"));

    @Override
    BrokerAndWorker infra() {
        return infra;
    }

    @Test
    void withTheWatchClosedTheTimedScanStillFindsAFileMovedIn() throws Exception {
        Files.createDirectories(infra.inbox.resolve("square"));
        InboxReadLock readLock = context.getRegistry().lookupByNameAndType("procpoolInboxReadLock",
                InboxReadLock.class);
        await().atMost(Duration.ofSeconds(10)).until(readLock::watching);
        readLock.stop(); // closes the watch: no scan is asked for when a file appears

        Path staged = Files.writeString(Files.createDirectories(infra.root.resolve("staging")).resolve("a.txt"),
                "1\n2\n3\n", StandardCharsets.UTF_8);
        // written well before the move, as a rename leaves a file: status changed after its last modification
        Files.setLastModifiedTime(staged, FileTime.fromMillis(System.currentTimeMillis() - 1000));
        Path file = Files.move(staged, infra.inbox.resolve("square/a.txt"), StandardCopyOption.ATOMIC_MOVE);

        await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(file));
        Path output = infra.outbox.resolve("a.txt");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(output));
        assertThat(Files.readString(output)).isEqualTo("1\n4\n9\n");
    }
}
