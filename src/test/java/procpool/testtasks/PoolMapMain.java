package procpool.testtasks;

import java.util.Arrays;
import java.util.List;

import procpool.api.ProcessPool;

/**
 * {@code ProcessPool.map(task, items)} in a JVM of its own, run by integration tests in a folder of their choosing
 * (the pool's workers find the tasks folder there): {@code PoolMapMain <task> <item>...} prints each result on a
 * line of its own.
 */
public final class PoolMapMain {

    private PoolMapMain() {
    }

    public static void main(String[] args) {
        try (ProcessPool pool = ProcessPool.create(2)) {
            List<String> results = pool.map(args[0], Arrays.asList(args).subList(1, args.length));
            results.forEach(System.out::println);
        }
    }
}
