package procpool.testtasks;

import procpool.task.Task;

/** Kills its own JVM on the item {@code crash} (as a native crash or an OOM kill would); echoes anything else. */
public final class CrashTask implements Task {

    @Override
    public String name() {
        return "crash";
    }

    @Override
    public String apply(String item) {
        if (item.equals("crash")) {
            Runtime.getRuntime().halt(134);
        }
        return item;
    }
}
