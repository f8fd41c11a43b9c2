package procpool.api;

import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;

import procpool.worker.ParentWatch;

/**
 * Entry point of a {@link WorkerProcess} child: {@code ChildLauncher <parent pid> <target class> [args...]}.
 * Watches the parent, then runs the target's {@code main}; exits 0 when it returns, 1 when it throws.
 */
public final class ChildLauncher {

    private ChildLauncher() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("procpool.role", "child-" + ProcessHandle.current().pid());
        ParentWatch.exitWhenGone(Long.parseLong(args[0]));
        Class<?> target = Class.forName(args[1]);
        try {
            target.getMethod("main", String[].class).invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
        } catch (InvocationTargetException e) {
            e.getCause().printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }
}
