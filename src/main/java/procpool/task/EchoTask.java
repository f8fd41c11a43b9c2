package procpool.task;

/** Prints {@code Worker <pid>: <item>} on the worker's stdout and returns the item, like Python's classic demo. */
public final class EchoTask implements Task {

    private static final long PID = ProcessHandle.current().pid();

    @Override
    public String name() {
        return "echo";
    }

    @Override
    public String apply(String item) {
        System.out.println("Worker " + PID + ": " + item);
        return item;
    }
}
