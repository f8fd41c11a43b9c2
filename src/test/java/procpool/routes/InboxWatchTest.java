package procpool.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The inbox watch on real folders: what it sees of files moved in and files written in place. */
class InboxWatchTest {

    @TempDir
    Path root;
    Path inbox;
    Path task;
    InboxWatch watch;

    @BeforeEach
    void watch() throws Exception {
        inbox = Files.createDirectories(root.resolve("inbox"));
        task = Files.createDirectories(inbox.resolve("square"));
        watch = InboxWatch.open(inbox);
        assertThat(watch).as("a watch service on this file system").isNotNull();
    }

    @AfterEach
    void close() throws Exception {
        watch.close();
    }

    private Path moveIn(Path folder, String name) throws Exception {
        Path staged = Files.writeString(root.resolve(name), "1\n2\n3\n4\n5\n");
        return Files.move(staged, folder.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    private static Duration seconds(int seconds) {
        return Duration.ofSeconds(seconds);
    }

    @Test
    void aFileMovedInIsMovedInWholeEvenRightAfterItsLastWrite() throws Exception {
        Path file = moveIn(task, "a.txt");

        await().atMost(seconds(10)).until(() -> watch.movedInWhole(file));
    }

    @Test
    void aFileWrittenInPlaceIsNotMovedInWhole() throws Exception {
        Path written = Files.writeString(task.resolve("written.txt"), "1\n2\n");
        // events of one folder come in order: once the later move is seen, so was the write before it
        Path later = moveIn(task, "later.txt");
        await().atMost(seconds(10)).until(() -> watch.movedInWhole(later));

        assertThat(watch.movedInWhole(written)).isFalse();
    }

    @Test
    void aFileWrittenToAfterItWasMovedInIsNoLongerMovedInWhole() throws Exception {
        Path file = moveIn(task, "a.txt");
        await().atMost(seconds(10)).until(() -> watch.movedInWhole(file));

        Files.writeString(file, "6\n", StandardOpenOption.APPEND);

        await().atMost(seconds(10)).until(() -> !watch.movedInWhole(file));
    }

    @Test
    void aTaskFolderMadeAfterTheWatchStartedIsWatchedToo() throws Exception {
        Path cube = Files.createDirectories(inbox.resolve("cube"));
        await().atMost(seconds(10)).until(() -> watch.movedInWhole(cube));

        Path file = moveIn(cube, "a.txt");

        await().atMost(seconds(10)).until(() -> watch.movedInWhole(file));
    }

    @Test
    void aFileThatWasThereBeforeTheWatchIsNotKnownToBeMovedIn() throws Exception {
        Path before = moveIn(task, "before.txt");
        watch.close();
        watch = InboxWatch.open(inbox);
        Path later = moveIn(task, "later.txt");
        await().atMost(seconds(10)).until(() -> watch.movedInWhole(later));

        assertThat(watch.movedInWhole(before)).isFalse();
    }

    @Test
    void itTellsWhenAFileAppearsButNotWhenOneIsWrittenTo() throws Exception {
        AtomicInteger appeared = new AtomicInteger();
        watch.close();
        watch = InboxWatch.open(inbox, appeared::incrementAndGet);

        Path file = moveIn(task, "a.txt");
        await().atMost(seconds(10)).until(() -> appeared.get() == 1);
        Files.writeString(file, "6\n", StandardOpenOption.APPEND);
        // events of one folder come in order: once the later move is told, the write before it was seen
        Path later = moveIn(task, "later.txt");
        await().atMost(seconds(10)).until(() -> appeared.get() >= 2);

        assertThat(appeared.get()).as("the write woke no one").isEqualTo(2);
        assertThat(watch.movedInWhole(file)).isFalse();
        assertThat(watch.movedInWhole(later)).isTrue();
    }

    @Test
    void onceCaughtUpItHasCountedEveryWriteMadeBefore() throws Exception {
        Path file = moveIn(task, "a.txt");
        assertThat(watch.caughtUp(10_000)).isTrue();
        assertThat(watch.movedInWhole(file)).isTrue();

        Files.writeString(file, "6\n", StandardOpenOption.APPEND);

        assertThat(watch.caughtUp(10_000)).isTrue();
        assertThat(watch.movedInWhole(file)).as("the write, counted without waiting for it").isFalse();
    }

    @Test
    void catchingUpLeavesNoMarkerInTheInbox() throws Exception {
        assertThat(watch.caughtUp(10_000)).isTrue();

        try (var entries = Files.list(inbox)) {
            assertThat(entries).containsExactly(task);
        }
    }

    @Test
    void aClosedWatchNeverSaysItCaughtUpNorThatAFileWasMovedInWhole() throws Exception {
        Path file = moveIn(task, "a.txt");
        assertThat(watch.caughtUp(10_000)).isTrue();
        watch.close();

        assertThat(watch.caughtUp(1_000)).isFalse();
        assertThat(watch.unwrittenSinceAppearing(file)).isNull();
    }

    @Test
    void anEntryNamedLikeAMarkerButNotOneDoesNotStopTheWatch() throws Exception {
        Files.writeString(inbox.resolve(InboxWatch.MARKER_PREFIX + "x"), "not a marker\n");
        Path file = moveIn(task, "a.txt");

        assertThat(watch.caughtUp(10_000)).isTrue();
        assertThat(watch.movedInWhole(file)).isTrue();
    }

    @Test
    void aUsersEntryNamedLikeTheNextMarkerIsLeftInPlace() throws Exception {
        Path users = Files.writeString(inbox.resolve(InboxWatch.MARKER_PREFIX + "1"), "the user's\n");
        Path link = Files.createSymbolicLink(inbox.resolve(InboxWatch.MARKER_PREFIX + "2"), users);

        watch.caughtUp(1_000);
        watch.caughtUp(1_000);

        assertThat(users).hasContent("the user's");
        assertThat(link).isSymbolicLink();
    }

    @Test
    void aUsersEntryNamedLikeALaterMarkerDoesNotCountAsCaughtUp() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger held = new AtomicInteger();
        watch.close();
        // the watch's thread is held in its callback once a file appears: no later event is taken in
        watch = InboxWatch.open(inbox, () -> {
            held.incrementAndGet();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            Files.writeString(inbox.resolve(InboxWatch.MARKER_PREFIX + "1000"), "the user's\n");
            assertThat(watch.caughtUp(10_000)).isTrue();
            moveIn(task, "a.txt");
            await().atMost(seconds(10)).until(() -> held.get() == 1);

            assertThat(watch.caughtUp(300)).as("its marker's event was not taken in").isFalse();
        } finally {
            release.countDown();
        }
    }

    @Test
    void aTaskFolderMadeWhileEventsOverflowedIsWatchedToo() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger held = new AtomicInteger();
        watch.close();
        watch = InboxWatch.open(inbox, () -> {
            if (held.incrementAndGet() == 1) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        Path cube;
        try {
            Files.createFile(inbox.resolve(".first"));
            await().atMost(seconds(10)).until(() -> held.get() == 1);
            // more events than the JDK queues for one folder while its key is not taken: they overflow
            for (int entry = 0; entry < 1_000; entry++) {
                Files.createFile(inbox.resolve(".many-" + entry));
            }
            cube = Files.createDirectories(inbox.resolve("cube"));
        } finally {
            release.countDown();
        }
        await().atMost(seconds(10)).until(() -> held.get() >= 2);

        Path file = moveIn(cube, "a.txt");

        await().atMost(seconds(10)).until(() -> watch.movedInWhole(file));
    }
}
