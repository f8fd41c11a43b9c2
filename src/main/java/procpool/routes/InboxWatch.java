package procpool.routes;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which inbox files were moved in whole, as the JDK's {@link WatchService} tells (inotify on Linux): a file that
 * appeared in a task folder (created, or moved in) and was never written or changed there since. A writer writing in
 * place produces a write event with every write, however long it pauses, so such a file is never "moved in whole";
 * a file moved in produces none. Knows only what it saw: files that were there before it started, or came while its
 * events overflowed, or in a task folder it did not watch yet, are not moved in whole as far as it knows (the read
 * lock then goes by their age). Its thread waits for the watch's events and, when a file or task folder appears,
 * tells whoever opened it (the inbox then scans at once instead of at its next timed scan). That thread alone takes
 * the events in, in inotify's order; {@link #caughtUp} waits until it has taken in everything that happened before.
 * Thread-safe.
 */
final class InboxWatch implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(InboxWatch.class);
    /** Name of the marker entries {@link #caughtUp} makes in the inbox (hidden: the inbox's scans skip them). */
    static final String MARKER_PREFIX = ".procpool-watch-marker-";

    private final Path inbox;
    private final WatchService service;
    /** Files seen appearing: false while no write or change was seen since, true once one was. */
    private final Map<Path, Boolean> changedSinceAppearing = new HashMap<>();
    /** Markers made ({@link #caughtUp}), and the newest whose event the watch's thread has taken in. */
    private final AtomicLong markersMade = new AtomicLong();
    private long markersSeen;
    /** Set when the watch's thread ends (closed, or failed): the watch then knows nothing. */
    private boolean stopped;
    private final Runnable onAppeared;
    private final Thread waiter;

    private InboxWatch(Path inbox, WatchService service, Runnable onAppeared) {
        this.inbox = inbox;
        this.service = service;
        this.onAppeared = onAppeared;
        this.waiter = new Thread(this::waitForEvents, "procpool-inbox-watch");
        waiter.setDaemon(true);
    }

    /** Watches {@code inbox} and its task folders; null (the read lock goes by age alone) if it cannot. */
    static InboxWatch open(Path inbox) {
        return open(inbox, () -> { });
    }

    /**
     * Watches {@code inbox} and its task folders, running {@code onAppeared} (on the watch's thread; it must not
     * block) whenever an entry appears in one; null (the read lock goes by age alone) if it cannot.
     */
    static InboxWatch open(Path inbox, Runnable onAppeared) {
        try {
            InboxWatch watch = new InboxWatch(inbox, inbox.getFileSystem().newWatchService(), onAppeared);
            watch.register(inbox);
            try (DirectoryStream<Path> folders = Files.newDirectoryStream(inbox)) {
                for (Path folder : folders) {
                    watch.registerTaskFolder(folder);
                }
            }
            watch.waiter.start();
            return watch;
        } catch (IOException | UnsupportedOperationException e) {
            LOG.info("cannot watch the inbox {} ({}): files moved in are read once their last write is "
                    + "procpool.inbox.read-lock-min-age-ms old", inbox, e.toString());
            return null;
        }
    }

    private void register(Path folder) throws IOException {
        folder.register(service, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE);
    }

    /** Watches every task folder of the inbox (one already watched stays as it is). */
    private void registerTaskFolders() {
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(inbox)) {
            for (Path folder : folders) {
                registerTaskFolder(folder);
            }
        } catch (IOException | DirectoryIteratorException e) {
            LOG.debug("cannot list the inbox {} for its task folders: {}", inbox, e.toString());
        }
    }

    private void registerTaskFolder(Path folder) {
        if (folder.getFileName().toString().startsWith(".") || !Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            register(folder);
        } catch (IOException e) {
            LOG.debug("cannot watch {}: {}", folder, e.toString());
        }
    }

    /** Whether {@code file} appeared while watched and nothing wrote to it or changed it since. */
    boolean movedInWhole(Path file) {
        return Boolean.TRUE.equals(unwrittenSinceAppearing(file));
    }

    /**
     * True if {@code file} appeared while watched and nothing wrote to it or changed it since, false if something
     * did, null if the watch did not see it appear (it was there before the watch started, or events were lost) or
     * stopped taking in events. Says what the watch's thread has taken in so far: {@link #caughtUp} first to be
     * sure every write made before then is counted.
     */
    synchronized Boolean unwrittenSinceAppearing(Path file) {
        if (stopped) {
            return null;
        }
        Boolean changed = changedSinceAppearing.get(file);
        return changed == null ? null : !changed;
    }

    /** Forgets {@code file} (taken, or gone). */
    synchronized void forget(Path file) {
        changedSinceAppearing.remove(file);
    }

    /**
     * Whether the watch has taken in every event of what happened in the inbox before this call: it makes a marker
     * entry in the inbox (hidden, removed at once) and waits until the marker's event has come through. inotify
     * hands over one instance's events in order, so every write made before the marker was taken in by then. The
     * JDK passes events on through a thread of its own, which usually takes microseconds, but an overloaded machine
     * can hold a thread back for a hundred milliseconds and more: a fixed wait would not be sure, this is. False if
     * the marker could not be made or did not come through within {@code timeoutMillis}.
     */
    boolean caughtUp(long timeoutMillis) {
        long marker = markersMade.incrementAndGet();
        Path entry = inbox.resolve(MARKER_PREFIX + marker);
        try {
            Files.createFile(entry);
        } catch (IOException e) {
            // an entry of that name that is not ours (a user's file, a link, a pipe) is left alone
            LOG.debug("cannot make the watch marker {}: {}", entry, e.toString());
            return false;
        }
        try {
            Files.delete(entry);
        } catch (IOException e) {
            LOG.debug("cannot remove the watch marker {}: {}", entry, e.toString());
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        synchronized (this) {
            while (markersSeen < marker && !stopped) {
                long leftMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (leftMillis <= 0) {
                    return false;
                }
                try {
                    wait(leftMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return !stopped;
        }
    }

    /**
     * The watch's thread, the only one to take its events (so they are taken in, in the order inotify gave them):
     * records them, and runs {@code onAppeared} when an entry appeared.
     */
    private void waitForEvents() {
        try {
            while (true) {
                WatchKey key = service.take();
                boolean appeared;
                synchronized (this) {
                    appeared = record(key);
                    notifyAll();
                }
                if (appeared) {
                    onAppeared.run();
                }
            }
        } catch (ClosedWatchServiceException | InterruptedException closed) {
            // closed with the inbox route
        } catch (RuntimeException e) {
            LOG.warn("the inbox watch stopped ({}); files are read by the timed scans "
                    + "(procpool.inbox.poll-delay-ms) once their times say they stopped changing", e.toString());
        } finally {
            synchronized (this) {
                stopped = true;
                notifyAll();
            }
        }
    }

    /** Takes in the events of {@code key}; true if an entry appeared. */
    private boolean record(WatchKey key) {
        boolean appeared = false;
        long marker = 0;
        Path folder = (Path) key.watchable();
        for (WatchEvent<?> event : key.pollEvents()) {
            if (event.kind() == OVERFLOW) {
                // events were lost: no file is known to be unwritten any more; a scan finds what came meanwhile,
                // and a task folder made meanwhile is watched from now on
                changedSinceAppearing.replaceAll((file, changed) -> true);
                registerTaskFolders();
                appeared = true;
                continue;
            }
            Path path = folder.resolve((Path) event.context());
            String name = path.getFileName().toString();
            if (folder.equals(inbox) && name.startsWith(MARKER_PREFIX)) {
                if (event.kind() == ENTRY_CREATE) {
                    marker = Math.max(marker, markerNumber(name));
                }
            } else if (event.kind() == ENTRY_CREATE) {
                if (folder.equals(inbox)) {
                    registerTaskFolder(path);
                }
                changedSinceAppearing.put(path, false);
                appeared = true;
            } else if (event.kind() == ENTRY_MODIFY) {
                changedSinceAppearing.put(path, true);
            } else if (event.kind() == ENTRY_DELETE) {
                changedSinceAppearing.remove(path);
            }
        }
        key.reset();
        if (marker > 0) {
            // an event from before the marker may have come to a folder's key while this thread held that key (it
            // is queued again at its reset, which came before this key was taken): take in every queued key first
            WatchKey queued;
            while ((queued = service.poll()) != null) {
                appeared |= record(queued);
            }
            markersSeen = Math.max(markersSeen, marker);
        }
        return appeared;
    }

    /**
     * The number of a marker entry; 0 for an entry someone else named like one, including one numbered past the
     * markers made (it would make {@link #caughtUp} say yes to markers whose event was not taken in yet).
     */
    private long markerNumber(String name) {
        try {
            long number = Long.parseLong(name.substring(MARKER_PREFIX.length()));
            return number <= markersMade.get() ? number : 0;
        } catch (NumberFormatException notOurs) {
            return 0;
        }
    }

    @Override
    public void close() throws IOException {
        service.close();
        try {
            waiter.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
