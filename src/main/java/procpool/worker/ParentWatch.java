package procpool.worker;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a worker JVM whose coordinator has died, even by SIGKILL, so no orphan worker is ever left behind.
 * An in-flight chunk is rolled back and stays on the broker.
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
        LOG.warn("coordinator pid {} is gone; this worker stops too", parentPid);
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
