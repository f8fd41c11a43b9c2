package procpool.testtasks;

import java.math.BigInteger;

import procpool.task.Task;

/**
 * The square, after spinning the CPU a fixed time per item (PROCPOOL_TEST_ITEM_MICROS, default 200 µs): a task
 * that takes time, so workers can be killed in the middle of a chunk. Rejects non-numbers like {@code square}.
 */
public final class SlowSquareTask implements Task {

    private static final long NANOS = 1000L * Long.parseLong(
            System.getenv().getOrDefault("PROCPOOL_TEST_ITEM_MICROS", "200"));

    @Override
    public String name() {
        return "slow-square";
    }

    @Override
    public String apply(String item) {
        long until = System.nanoTime() + NANOS;
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
        BigInteger value;
        try {
            value = new BigInteger(item.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an integer: \"" + item + "\"");
        }
        return value.multiply(value).toString();
    }
}
