package procpool.testtasks;

import java.util.List;

import procpool.api.ProcessPool;

/**
 * Run in a child JVM by {@code CommandTasksIT}: maps the items given after the task name through a pool of 2 workers
 * of its own, and prints the results, one per line. The pool's workers read the task declarations from
 * {@code config/application.properties} of the working directory, as a user's program would.
 */
public final class MapsACommandTask {

    private MapsACommandTask() {
    }

    public static void main(String[] args) {
        try (ProcessPool pool = ProcessPool.create(2)) {
            pool.map(args[0], List.of(args).subList(1, args.length)).forEach(System.out::println);
        }
    }
}
