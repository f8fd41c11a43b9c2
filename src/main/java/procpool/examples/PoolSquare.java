package procpool.examples;

import java.util.List;

import procpool.api.ProcessPool;

/**
 * Python's {@code with Pool(processes=4) as pool: print(pool.map(square, [1, 2, 3, 4, 5]))}.
 * Run: {@code java -cp target/procpool.jar procpool.examples.PoolSquare}
 */
public final class PoolSquare {

    private PoolSquare() {
    }

    public static void main(String[] args) {
        List<String> results;
        try (ProcessPool pool = ProcessPool.create(4)) {
            results = pool.map("square", List.of("1", "2", "3", "4", "5"));
        }
        System.out.println(results);
    }
}
