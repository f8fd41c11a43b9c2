package procpool.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import procpool.routes.InboxReadLock.Look;

/** The inbox read lock's rule, on real files where the file system can play its part and on given looks else. */
class InboxReadLockTest {

    private static final long MIN_AGE = 1000;
    private static final long CONFIRM_AFTER = 50;

    @TempDir
    Path dir;

    private final InboxReadLock lock = new InboxReadLock(MIN_AGE, CONFIRM_AFTER);

    private static FileTime at(long millis) {
        return FileTime.fromMillis(millis);
    }

    private static void append(FileChannel writer, String text) throws Exception {
        writer.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aFileWhoseLastModificationIsOlderThanTheMinAgeIsTakenAtTheFirstLook() throws Exception {
        Path file = Files.writeString(dir.resolve("old.txt"), "1\n2\n3\n4\n5\n");
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() - 5_000));

        assertThat(lock.takeNow(file, Look.of(file, System.currentTimeMillis()))).isTrue();
    }

    @Test
    void aFileStillBeingWrittenIsNotTakenUntilItsLastModificationIsTheMinAgeOld() throws Exception {
        Path file = dir.resolve("growing.txt");
        try (FileChannel writer = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            append(writer, "1\n");
            Look first = Look.of(file, System.currentTimeMillis());
            assertThat(first.movedInAfterLastWrite()).as("a write moves both times together").isFalse();
            assertThat(lock.takeNow(file, first)).isFalse();

            append(writer, "2\n");
            Look grown = Look.of(file, System.currentTimeMillis());
            assertThat(grown.size()).isGreaterThan(first.size());
            assertThat(lock.takeNow(file, grown)).isFalse();
            // looked at again just before it has been quiet for the min age: still not
            long lastWrite = grown.modified().toMillis();
            assertThat(lock.takeNow(file, Look.of(file, lastWrite + MIN_AGE - 1))).isFalse();
        }
        long lastWrite = Files.getLastModifiedTime(file).toMillis();
        assertThat(lock.takeNow(file, Look.of(file, lastWrite + MIN_AGE))).isTrue();
    }

    @Test
    void aFileMovedInAfterItsLastWriteIsTakenWhenASecondLookFindsItUnchanged() {
        Path file = dir.resolve("moved.txt");
        Look first = new Look(10, at(1_000_000), at(1_000_010), 1_000_020);

        assertThat(lock.takeNow(file, first)).isFalse();
        assertThat(lock.takeNow(file, new Look(10, at(1_000_000), at(1_000_010), 1_000_020 + CONFIRM_AFTER - 1)))
                .as("too soon for the second look").isFalse();
        assertThat(lock.takeNow(file, new Look(10, at(1_000_000), at(1_000_010), 1_000_020 + CONFIRM_AFTER)))
                .isTrue();
    }

    @Test
    void aFileMovedInThatChangesBetweenTheTwoLooksIsNotTaken() {
        Path file = dir.resolve("moved.txt");
        assertThat(lock.takeNow(file, new Look(10, at(1_000_000), at(1_000_010), 1_000_020))).isFalse();

        // written again after the move: both times move together, so it waits for the min age from now on
        Look written = new Look(14, at(1_000_040), at(1_000_040), 1_000_100);
        assertThat(lock.takeNow(file, written)).isFalse();
        assertThat(lock.takeNow(file, new Look(14, at(1_000_040), at(1_000_040), 1_000_200))).isFalse();
        assertThat(lock.takeNow(file, new Look(14, at(1_000_040), at(1_000_040), 1_000_040 + MIN_AGE))).isTrue();
    }

    @Test
    void aSecondLookMustFindTheSameFileAsTheFirst() {
        Path file = dir.resolve("moved.txt");
        assertThat(lock.takeNow(file, new Look(10, at(1_000_000), at(1_000_010), 1_000_020))).isFalse();
        // its status changed again (moved once more, or its mode set): the looks start over
        assertThat(lock.takeNow(file, new Look(10, at(1_000_000), at(1_000_060), 1_000_080))).isFalse();
        assertThat(lock.takeNow(file, new Look(10, at(1_000_000), at(1_000_060), 1_000_080 + CONFIRM_AFTER)))
                .isTrue();
    }

    @Test
    void aRealFileWhoseStatusChangedAfterItsLastWriteReadsAsMovedIn() throws Exception {
        Path file = Files.writeString(dir.resolve("staged.txt"), "1\n");
        // as a rename some milliseconds after the last write leaves it: last modification before the status change
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() - 20));

        Look look = Look.of(file, System.currentTimeMillis());
        assertThat(look.movedInAfterLastWrite()).isTrue();
        assertThat(lock.takeNow(file, look)).isFalse();
        assertThat(lock.takeNow(file, Look.of(file, look.atMillis() + CONFIRM_AFTER))).isTrue();
    }

    @Test
    void withoutAStatusChangeTimeOnlyTheAgeCounts() {
        Path file = dir.resolve("elsewhere.txt");
        assertThat(lock.takeNow(file, new Look(10, at(1_000_000), null, 1_000_020))).isFalse();
        assertThat(lock.takeNow(file, new Look(10, at(1_000_000), null, 1_000_020 + CONFIRM_AFTER))).isFalse();
        assertThat(lock.takeNow(file, new Look(10, at(1_000_000), null, 1_000_000 + MIN_AGE))).isTrue();
    }

    @Test
    void aMinAgeOfZeroTakesEveryFileAtOnce() {
        InboxReadLock noWait = new InboxReadLock(0, CONFIRM_AFTER);
        assertThat(noWait.takeNow(dir.resolve("f"), new Look(10, at(1_000_000), at(1_000_000), 1_000_000))).isTrue();
    }

    @Test
    void aFileTheWatchSawMovedInIsTakenAfterTheConfirmingLookEvenWithinOneClockTickOfItsLastWrite() {
        Path file = dir.resolve("moved.txt");
        // a rename in the same clock tick as the last write: both times equal
        assertThat(lock.takeNow(file, new Look(10, at(1_000_000), at(1_000_000), 1_000_005, true))).isFalse();
        assertThat(lock.takeNow(file,
                new Look(10, at(1_000_000), at(1_000_000), 1_000_005 + CONFIRM_AFTER, true, true))).isTrue();
    }

    @Test
    void aFileTheWatchSawWrittenToAfterTheFirstLookIsNotTaken() {
        Path file = dir.resolve("moved.txt");
        assertThat(lock.takeNow(file, new Look(10, at(1_000_000), at(1_000_000), 1_000_005, true))).isFalse();

        assertThat(lock.takeNow(file, new Look(10, at(1_000_000), at(1_000_000), 1_000_005 + CONFIRM_AFTER, false)))
                .isFalse();
    }

    @Test
    void anEmptyFileIsNeverTakenOnTheWatchsWordAlone() {
        // it may be a file just created in place whose writer has not written yet
        Path file = dir.resolve("empty.txt");
        assertThat(lock.takeNow(file, new Look(0, at(1_000_000), at(1_000_000), 1_000_005, true))).isFalse();
        assertThat(lock.takeNow(file, new Look(0, at(1_000_000), at(1_000_000), 1_000_005 + CONFIRM_AFTER, true)))
                .isFalse();
    }

    @Test
    void aFileWrittenInPlaceAndChmodedMidWriteWaitsForItsMinAge() {
        // the watch saw it written; a chmod between two writes set its ctime after its last write
        Path file = dir.resolve("chmoded.txt");
        assertThat(lock.takeNow(file, new Look(10, at(1_000_000), at(1_000_010), 1_000_020, false))).isFalse();
        assertThat(lock.takeNow(file, new Look(10, at(1_000_000), at(1_000_010), 1_000_020 + CONFIRM_AFTER, false)))
                .isFalse();
        assertThat(lock.takeNow(file, new Look(10, at(1_000_000), at(1_000_010), 1_000_000 + MIN_AGE, false)))
                .isTrue();
    }

    @Test
    void aFileMovedInMayBeTakenWhenItsConfirmingLookIsDue() {
        Path file = dir.resolve("moved.txt");
        Look first = new Look(10, at(1_000_000), at(1_000_000), 1_000_005, true);
        assertThat(lock.takeNow(file, first)).isFalse();

        assertThat(lock.mayBeTakenIn(file, first)).isEqualTo(CONFIRM_AFTER);
        Look early = new Look(10, at(1_000_000), at(1_000_000), 1_000_005 + 20, true);
        assertThat(lock.takeNow(file, early)).isFalse();
        assertThat(lock.mayBeTakenIn(file, early)).isEqualTo(CONFIRM_AFTER - 20);
    }

    @Test
    void aFileWrittenInPlaceMayBeTakenWhenItsLastWriteIsTheMinAgeOld() {
        Path file = dir.resolve("written.txt");
        Look look = new Look(10, at(1_000_000), at(1_000_000), 1_000_300, false);
        assertThat(lock.takeNow(file, look)).isFalse();

        assertThat(lock.mayBeTakenIn(file, look)).isEqualTo(MIN_AGE - 300);
    }

    @Test
    void aFileMovedInThatChangedMayBeTakenAConfirmingIntervalAfterTheLookThatSawTheChange() {
        Path file = dir.resolve("moved.txt");
        assertThat(lock.takeNow(file, new Look(10, at(1_000_000), at(1_000_010), 1_000_020))).isFalse();
        Look changed = new Look(10, at(1_000_000), at(1_000_060), 1_000_080);
        assertThat(lock.takeNow(file, changed)).isFalse();

        assertThat(lock.mayBeTakenIn(file, changed)).isEqualTo(CONFIRM_AFTER);
    }

    @Test
    void aConfirmingLookTheWatchHadNotCaughtUpWithDoesNotTakeTheFileButLeavesItsFirstLook() {
        Path file = dir.resolve("moved.txt");
        Look first = new Look(10, at(1_000_000), at(1_000_000), 1_000_005, true);
        assertThat(lock.takeNow(file, first)).isFalse();
        Look second = new Look(10, at(1_000_000), at(1_000_000), 1_000_005 + CONFIRM_AFTER, true);
        assertThat(lock.confirmingLook(file, second)).isTrue();

        assertThat(lock.takeNow(file, second)).as("the watch may not have counted a write yet").isFalse();
        assertThat(lock.mayBeTakenIn(file, second)).as("looked at again at once").isZero();
        assertThat(lock.takeNow(file, second.withWatchWord(true, true))).isTrue();
    }

    @Test
    void aLookBeforeTheConfirmingIntervalIsNotAConfirmingLook() {
        Path file = dir.resolve("moved.txt");
        assertThat(lock.takeNow(file, new Look(10, at(1_000_000), at(1_000_000), 1_000_005, true))).isFalse();

        assertThat(lock.confirmingLook(file, new Look(10, at(1_000_000), at(1_000_000), 1_000_006, true))).isFalse();
        assertThat(lock.confirmingLook(file,
                new Look(11, at(1_000_001), at(1_000_001), 1_000_005 + CONFIRM_AFTER, true)))
                .as("a changed file starts its looks over").isFalse();
    }
}
