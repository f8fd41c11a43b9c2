package procpool.worker;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a child JVM (a worker, a {@code WorkerProcess}) whose parent has died, even by SIGKILL, so no orphan is ever
 * left behind. A worker's chunk in hand is rolled back and stays on the broker.
 */
public final class ParentWatch {

    private static final Logger LOG = LoggerFactory.getLogger(ParentWatch.class);
    /** If a clean stop hangs (e.g. on a dead broker connection), halt after this long. */
    private static final long HALT_AFTER_MILLIS = 20_000;

    private ParentWatch() {
    }

    public static void exitWhenGone(long parentPid) {
        ProcessHandle.of(parentPid).ifPresentOrElse(
                parent -> parent.onExit().thenRun(() -> exit(parentPid)),
                () -> exit(parentPid));
    }

    private static void exit(long parentPid) {
        LOG.warn("parent pid {} is gone; this JVM stops too", parentPid);
        Thread halt = new Thread(() -> {
            try {
                Thread.sleep(HALT_AFTER_MILLIS);
            } catch (InterruptedException ignored) {
                return;
            }
            Runtime.getRuntime().halt(3);
        }, "parent-watch-halt");
        halt.setDaemon(true);
        halt.start();
        new Thread(() -> System.exit(3), "parent-watch-exit").start();
    }
}
