package procpool.testtasks;

import procpool.task.Task;

/** An initializer that sets a per-JVM greeting, and a task that uses it: Python's Pool(initializer=...). */
public final class Greeting {

    static volatile String greeting = "uninitialised";

    private Greeting() {
    }

    public static final class Initializer implements Task {
        @Override
        public String name() {
            return "greeting-init";
        }

        @Override
        public String apply(String item) {
            greeting = item;
            return item;
        }
    }

    /** An initializer that cannot do its job, as one whose database is unreachable. */
    public static final class FailingInitializer implements Task {
        @Override
        public String name() {
            return "failing-init";
        }

        @Override
        public String apply(String item) {
            throw new IllegalStateException("cannot reach the greeting service at " + item);
        }
    }

    public static final class Greet implements Task {
        @Override
        public String name() {
            return "greet";
        }

        @Override
        public String apply(String item) {
            return greeting + " " + item;
        }
    }
}
