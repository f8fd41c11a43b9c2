package procpool.worker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import procpool.chunk.ErrorTexts;

/**
 * The item time limit ({@code procpool.worker.item-timeout-ms}), kept by the worker JVM itself, so it holds for
 * workers started by hand or in compose as much as for a coordinator's own: a thread checks the items in hand, and
 * when one runs longer than the limit it logs one line naming batch, chunk, line, item and limit, and halts the JVM
 * with {@link #EXIT_CODE}. A halt, not a clean stop: the chunk's transaction never commits, the broker sees the
 * connection drop, counts the attempt and gives the chunk to another worker (after {@code max-attempts} such
 * deaths it is dead-lettered and its batch fails, so an item that always hangs cannot loop). Thread-safe.
 */
public final class ItemWatchdog {

    private static final Logger LOG = LoggerFactory.getLogger(ItemWatchdog.class);

    /** Exit code of a worker JVM ended by its item time limit. */
    public static final int EXIT_CODE = 4;

    /** No limit: items may run for ever. */
    public static final ItemWatchdog NONE = new ItemWatchdog(0, code -> { });

    private final long limitNanos;
    private final IntConsumer exit;
    private final Map<Thread, InHand> inHand = new ConcurrentHashMap<>();

    /**
     * What one listener thread is working on; the item fields change as the chunk goes on. The chunk's processor
     * holds it, so marking each item is a few ordered stores: no lookup, no clock read, no full fence (it runs once
     * per item, a million times in a batch of squares). The watchdog's thread times the items itself: an item it
     * sees for the first time started at most one check ago, so it is ended at most two checks past its limit.
     */
    static final class InHand {
        private static final VarHandle STARTED;
        private static final VarHandle ENDED;

        static {
            try {
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                STARTED = lookup.findVarHandle(InHand.class, "started", long.class);
                ENDED = lookup.findVarHandle(InHand.class, "ended", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final String batchId;
        final int chunkIndex;
        /** The chunk's own limit ({@code procpoolItemTimeoutMs}, from its task's settings), or 0 for the JVM's. */
        final long limitNanos;
        /** The item in hand, written before {@link #started} is: whoever reads that count sees them. */
        private long itemIndex;
        private String item;
        /** Items started, and the count as it was when the last one ended: equal means none running. */
        private long started;
        private long ended;
        /** The watchdog thread's own: the count it last saw running, and when it first saw it. */
        private long seenStarted;
        private long seenAtNanos;

        InHand(String batchId, int chunkIndex) {
            this(batchId, chunkIndex, 0);
        }

        InHand(String batchId, int chunkIndex, long limitMillis) {
            this.batchId = batchId;
            this.chunkIndex = chunkIndex;
            this.limitNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(0, limitMillis));
        }

        /** The thread starts item {@code itemIndex} (of the batch, from 0) of its chunk. */
        void itemStarted(long itemIndex, String item) {
            this.itemIndex = itemIndex;
            this.item = item;
            // last, with release: a reader that sees the new count sees the item's fields
            STARTED.setRelease(this, started + 1);
        }

        /** The thread's item has returned or thrown. */
        void itemDone() {
            ENDED.setRelease(this, started);
        }

        /**
         * How long the item in hand has run, as the watchdog's thread (the only caller) has seen it at {@code now}:
         * from the check that first saw it; -1 when no item is running.
         */
        long ranNanos(long now) {
            long ended = (long) ENDED.getAcquire(this);
            long started = (long) STARTED.getAcquire(this);
            if (started == ended) {
                seenStarted = 0;
                return -1;
            }
            if (started != seenStarted) {
                seenStarted = started;
                seenAtNanos = now;
            }
            return now - seenAtNanos;
        }
    }

    /** Handed out when there is no limit: nobody looks at it. */
    private static final InHand UNWATCHED = new InHand("", -1);

    private ItemWatchdog(long limitMillis, IntConsumer exit) {
        this.limitNanos = TimeUnit.MILLISECONDS.toNanos(limitMillis);
        this.exit = exit;
    }

    /** Starts watching: an item over {@code limitMillis} halts this JVM. 0 or less: no limit. */
    public static ItemWatchdog start(long limitMillis) {
        return start(limitMillis, code -> Runtime.getRuntime().halt(code));
    }

    /**
     * As {@link #start(long)}, but also with no limit of its own ({@code limitMillis} 0) it watches the chunks that
     * bring one ({@code procpoolItemTimeoutMs}, a task's {@code item-timeout-ms}): what a worker JVM runs.
     */
    public static ItemWatchdog startWithChunkLimits(long limitMillis) {
        return startWithChunkLimits(limitMillis, code -> Runtime.getRuntime().halt(code));
    }

    /** As above, with what to do instead of halting (for tests). */
    static ItemWatchdog startWithChunkLimits(long limitMillis, IntConsumer exit) {
        return limitMillis > 0 ? start(limitMillis, exit) : watch(0, exit, 50);
    }

    /** As above, with what to do instead of halting (for tests). */
    static ItemWatchdog start(long limitMillis, IntConsumer exit) {
        if (limitMillis <= 0) {
            return NONE;
        }
        return watch(limitMillis, exit, Math.max(10, Math.min(1000, limitMillis / 10)));
    }

    private static ItemWatchdog watch(long limitMillis, IntConsumer exit, long period) {
        ItemWatchdog watchdog = new ItemWatchdog(limitMillis, exit);
        Thread thread = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(period);
                } catch (InterruptedException e) {
                    return;
                }
                if (watchdog.check()) {
                    return;
                }
            }
        }, "item-watchdog");
        thread.setDaemon(true);
        thread.start();
        return watchdog;
    }

    /** The calling thread starts on a chunk: mark its items on what this returns. */
    InHand chunkStarted(String batchId, int chunkIndex) {
        return chunkStarted(batchId, chunkIndex, 0);
    }

    /** As above, for a chunk with its own item time limit ({@code limitMillis}; 0: this JVM's). */
    InHand chunkStarted(String batchId, int chunkIndex, long limitMillis) {
        if (this == NONE) {
            return UNWATCHED;
        }
        InHand chunk = new InHand(batchId, chunkIndex, limitMillis);
        inHand.put(Thread.currentThread(), chunk);
        return chunk;
    }

    /** @return whether an item was over the limit (and the JVM told to exit) */
    private boolean check() {
        long now = System.nanoTime();
        for (InHand current : inHand.values()) {
            long ran = current.ranNanos(now);
            if (ran < 0) {
                continue;
            }
            long limit = current.limitNanos > 0 ? current.limitNanos : limitNanos;
            if (limit > 0 && ran > limit) {
                // the item as one printable line: it comes from outside and must not forge log lines
                LOG.error("batch {} chunk {} line {} item \"{}\": still running after {} ms, over the item time limit "
                                + "of {} ms ({}); this worker exits with code {} so the "
                                + "chunk goes back to the broker for another worker", current.batchId,
                        current.chunkIndex, current.itemIndex + 1,
                        ErrorTexts.printable(current.item, ErrorTexts.MAX_ITEM),
                        TimeUnit.NANOSECONDS.toMillis(ran), TimeUnit.NANOSECONDS.toMillis(limit),
                        current.limitNanos > 0 ? "its task's procpool.task.<name>.item-timeout-ms"
                                : "procpool.worker.item-timeout-ms", EXIT_CODE);
                exit.accept(EXIT_CODE);
                return true;
            }
        }
        return false;
    }
}
