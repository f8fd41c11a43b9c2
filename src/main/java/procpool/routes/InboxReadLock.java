package procpool.routes;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;

import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.Service;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileEndpoint;
import org.apache.camel.component.file.GenericFileExclusiveReadLockStrategy;
import org.apache.camel.component.file.GenericFileOperations;

/**
 * The inbox's read lock: whether a file has stopped changing, decided at each scan from the file's own times and the
 * {@link InboxWatch}'s word (a file not ready yet is looked at again later, and holds up no other file). A file is
 * taken when
 * <ul>
 * <li>its last modification is at least {@code minAgeMillis} old (what Camel's {@code readLock=changed} with
 * {@code readLockMinAge} checks, so a file that was written long before it was moved in is taken at once), or</li>
 * <li>it was moved (renamed) into the inbox whole, and nothing about it changed between two looks at least
 * {@code confirmAfterMillis} apart. Moved in whole: the {@link InboxWatch} saw it appear and saw no write to it
 * since (and it is not empty), and at the second look it has caught up ({@link InboxWatch#caughtUp}: every write made
 * before that look's size and times were read has been counted; it waits for that, at most
 * {@value #CATCH_UP_MILLIS} ms, else the file is looked at again); or, for a file the watch did not see appear, its
 * status change time ({@code ctime}, which a rename sets) is later than its last modification.</li>
 * </ul>
 * Where the watch saw the file appear, its word alone counts: a {@code chmod} or {@code touch} between two writes
 * also sets {@code ctime}, and must not let a file being written in place through. A writer writing in place produces
 * a write event with every write and moves both times together, so neither lets through a file being written,
 * however long its writer pauses; they spare a file moved in whole from waiting out the min age. The only wait in the
 * consumer's thread is the watch's catching up: microseconds usually, at most {@value #CATCH_UP_MILLIS} ms.
 * <p>
 * Where there is no watch (an inbox on a file system without one) only the times count, and the clock ticks file
 * times coarsely (a few milliseconds on Linux): a file moved in within the same tick as its last write then looks
 * like one still being written, and waits for the min age. A file that changes after it was taken is caught by the
 * batch itself ({@link procpool.chunk.InputSnapshot}).
 * <p>
 * A file turned down is looked at again when it may be taken: the read lock asks for a scan then (its confirming
 * look {@code confirmAfterMillis} after the first, or the moment its last write is {@code minAgeMillis} old), so the
 * wait is what the rule asks for and not rounded up to the next timed scan; the watch asks for a scan when a file
 * appears ({@link InboxScheduler}).
 */
final class InboxReadLock implements GenericFileExclusiveReadLockStrategy<File>, Service {

    /**
     * How long a look waits for the watch to catch up ({@link InboxWatch#caughtUp}; microseconds usually, a machine
     * overloaded can hold the watch's threads back longer): past it, the file is looked at again.
     */
    static final long CATCH_UP_MILLIS = 500;
    /** Looks older than this are of files that went away without being taken: dropped, so the map stays small. */
    private static final long FORGET_AFTER_MILLIS = 60_000;

    private final long minAgeMillis;
    private final long confirmAfterMillis;
    /** The first look at each file that was moved in after its last write, awaiting its confirming look. */
    private final Map<Path, Look> firstLooks = new ConcurrentHashMap<>();
    /** Asks for a scan in so many milliseconds: when a file turned down may be taken. */
    private final LongConsumer scanIn;
    /** Asks for a scan at once: when the watch sees a file appear. */
    private final Runnable scanNow;
    /** Null until the consumer starts, or if the inbox cannot be watched. */
    private volatile InboxWatch watch;

    InboxReadLock(long minAgeMillis, long confirmAfterMillis) {
        this(minAgeMillis, confirmAfterMillis, null);
    }

    /** A read lock that has {@code scheduler} scan when a file appears or a file turned down may be taken. */
    InboxReadLock(long minAgeMillis, long confirmAfterMillis, InboxScheduler scheduler) {
        this.minAgeMillis = Math.max(0, minAgeMillis);
        this.confirmAfterMillis = Math.max(0, confirmAfterMillis);
        this.scanIn = scheduler == null ? millis -> { } : scheduler::scanIn;
        this.scanNow = scheduler == null ? () -> { } : scheduler::scanNow;
    }

    /**
     * One look at a file.
     *
     * @param changed           its last status change, or null where the file system does not tell
     * @param atMillis          when the look was taken (wall clock, as file times are)
     * @param appearedUnwritten whether the inbox watch saw it appear and saw no write to it since; null if the watch
     *                          did not see it appear (or there is no watch)
     * @param caughtUp          whether the watch had taken in every event from before the file's size and times
     *                          were read ({@link InboxWatch#caughtUp}): its word then counts every write until then;
     *                          asked for at a confirming look only
     */
    record Look(long size, FileTime modified, FileTime changed, long atMillis, Boolean appearedUnwritten,
                boolean caughtUp) {

        /** A look without the watch's word. */
        Look(long size, FileTime modified, FileTime changed, long atMillis) {
            this(size, modified, changed, atMillis, null, false);
        }

        /** A look with the watch's word, the watch not known to have caught up. */
        Look(long size, FileTime modified, FileTime changed, long atMillis, Boolean appearedUnwritten) {
            this(size, modified, changed, atMillis, appearedUnwritten, false);
        }

        static Look of(Path file, long nowMillis, InboxWatch watch) throws IOException {
            Look look = of(file, nowMillis);
            return watch == null ? look : look.withWatchWord(watch.unwrittenSinceAppearing(file), false);
        }

        Look withWatchWord(Boolean unwritten, boolean watchCaughtUp) {
            return new Look(size, modified, changed, atMillis, unwritten, watchCaughtUp);
        }

        static Look of(Path file, long nowMillis) throws IOException {
            BasicFileAttributes basic = Files.readAttributes(file, BasicFileAttributes.class);
            FileTime changed;
            try {
                changed = (FileTime) Files.getAttribute(file, "unix:ctime");
            } catch (UnsupportedOperationException | IllegalArgumentException noStatusChangeTime) {
                changed = null;
            }
            return new Look(basic.size(), basic.lastModifiedTime(), changed, nowMillis);
        }

        boolean movedInAfterLastWrite() {
            if (appearedUnwritten != null) {
                return appearedUnwritten && size > 0;
            }
            return changed != null && changed.compareTo(modified) > 0;
        }

        boolean sameFileAs(Look other) {
            return size == other.size && modified.equals(other.modified) && Objects.equals(changed, other.changed);
        }
    }

    /** Whether {@code file}, looked at as {@code look}, is to be taken now. */
    boolean takeNow(Path file, Look look) {
        firstLooks.values().removeIf(first -> look.atMillis - first.atMillis > FORGET_AFTER_MILLIS);
        if (look.atMillis - look.modified.toMillis() >= minAgeMillis) {
            firstLooks.remove(file);
            return true;
        }
        if (!look.movedInAfterLastWrite()) {
            // written in place, maybe still being written: only its age tells
            firstLooks.remove(file);
            return false;
        }
        Look first = firstLooks.putIfAbsent(file, look);
        if (first == null) {
            return false;
        }
        if (!first.sameFileAs(look)) {
            firstLooks.put(file, look);
            return false;
        }
        if (look.atMillis - first.atMillis < confirmAfterMillis) {
            return false;
        }
        if (look.appearedUnwritten != null && !look.caughtUp) {
            // the watch's word counts only once it has taken in every write made before this look
            return false;
        }
        firstLooks.remove(file);
        return true;
    }

    /** Whether {@code look} would be the confirming look of {@code file}: due, and finding it as the first did. */
    boolean confirmingLook(Path file, Look look) {
        Look first = firstLooks.get(file);
        return first != null && first.sameFileAs(look) && look.atMillis - first.atMillis >= confirmAfterMillis;
    }

    /**
     * When a file just turned down ({@link #takeNow} false) may be taken, in milliseconds after {@code look}: when
     * its confirming look is due, or else when its last write will be the min age old. Never less than 0.
     */
    long mayBeTakenIn(Path file, Look look) {
        Look first = firstLooks.get(file);
        long at = first != null ? first.atMillis + confirmAfterMillis : look.modified.toMillis() + minAgeMillis;
        return Math.max(0, at - look.atMillis);
    }

    @Override
    public boolean acquireExclusiveReadLock(GenericFileOperations<File> operations, GenericFile<File> file,
            Exchange exchange) {
        Path path = Path.of(file.getAbsoluteFilePath());
        InboxWatch watching = watch;
        try {
            Look look = Look.of(path, System.currentTimeMillis(), watching);
            boolean caughtUp = true;
            if (Boolean.TRUE.equals(look.appearedUnwritten()) && confirmingLook(path, look)) {
                // its size and times were read before: once the watch has caught up, a write until then is counted
                caughtUp = watching.caughtUp(CATCH_UP_MILLIS);
                look = look.withWatchWord(watching.unwrittenSinceAppearing(path), caughtUp);
            }
            boolean take = takeNow(path, look);
            if (take && watching != null) {
                watching.forget(path);
            } else if (!take) {
                // a watch that did not catch up (overloaded, or no marker could be made) is given an interval more
                scanIn.accept(caughtUp ? mayBeTakenIn(path, look) : Math.max(1, confirmAfterMillis));
            }
            return take;
        } catch (IOException gone) {
            firstLooks.remove(path);
            if (watching != null) {
                watching.forget(path);
            }
            return false;
        }
    }

    /** Whether the inbox is being watched (the consumer started, and the file system has a watch service). */
    boolean watching() {
        return watch != null;
    }

    @Override
    public void prepareOnStartup(GenericFileOperations<File> operations, GenericFileEndpoint<File> endpoint) {
        // no lock files to clean up (nothing is written to decide); the watch starts with the consumer
        if (watch == null) {
            watch = InboxWatch.open(Path.of(endpoint.getConfiguration().getDirectory()).toAbsolutePath(), scanNow);
        }
    }

    @Override
    public void start() {
        // the watch starts with the consumer (prepareOnStartup), when the inbox exists
    }

    @Override
    public void stop() {
        InboxWatch watching = watch;
        watch = null;
        if (watching != null) {
            try {
                watching.close();
            } catch (IOException e) {
                // closing a watch service releases its inotify instance; nothing left to do if that fails
            }
        }
    }

    @Override
    public void releaseExclusiveReadLockOnAbort(GenericFileOperations<File> operations, GenericFile<File> file,
            Exchange exchange) {
        // nothing held
    }

    @Override
    public void releaseExclusiveReadLockOnRollback(GenericFileOperations<File> operations, GenericFile<File> file,
            Exchange exchange) {
        // nothing held
    }

    @Override
    public void releaseExclusiveReadLockOnCommit(GenericFileOperations<File> operations, GenericFile<File> file,
            Exchange exchange) {
        // nothing held
    }

    @Override
    public void setTimeout(long timeout) {
        // never waits
    }

    @Override
    public void setCheckInterval(long checkInterval) {
        // set by the constructor
    }

    @Override
    public void setReadLockLoggingLevel(LoggingLevel readLockLoggingLevel) {
        // logs nothing
    }

    @Override
    public void setMarkerFiler(boolean markerFile) {
        // never writes marker files
    }

    @Override
    public void setDeleteOrphanLockFiles(boolean deleteOrphanLockFiles) {
        // never writes lock files
    }
}
