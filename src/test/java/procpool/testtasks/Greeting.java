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
