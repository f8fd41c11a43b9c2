package procpool.testtasks;

import procpool.task.Task;

/**
 * Ends its own JVM on {@code exit:<code>} ({@code System.exit}, shutdown hooks run) or {@code halt:<code>}
 * ({@code Runtime.halt}, as abrupt as a crash); echoes anything else.
 */
public final class ExitTask implements Task {

    @Override
    public String name() {
        return "exit";
    }

    @Override
    public String apply(String item) {
        if (item.startsWith("exit:")) {
            System.exit(Integer.parseInt(item.substring("exit:".length())));
        }
        if (item.startsWith("halt:")) {
            Runtime.getRuntime().halt(Integer.parseInt(item.substring("halt:".length())));
        }
        return item;
    }
}
