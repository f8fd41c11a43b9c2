package procpool.testtasks;

import procpool.task.Task;

/** Answers with the PID of the JVM that ran it. */
public final class PidTask implements Task {

    @Override
    public String name() {
        return "pid";
    }

    @Override
    public String apply(String item) {
        return Long.toString(ProcessHandle.current().pid());
    }
}
