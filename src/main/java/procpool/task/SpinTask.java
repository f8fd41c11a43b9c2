package procpool.task;

/**
 * Burns CPU: runs the item's number of rounds of a 64-bit linear congruential generator and returns the last
 * value. A fixed, known cost per item, for benchmarks of scaling (the same loop runs in bench/python_pool.py).
 */
public final class SpinTask implements Task {

    @Override
    public String name() {
        return "spin";
    }

    @Override
    public String apply(String item) {
        long rounds;
        try {
            rounds = Long.parseLong(item.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number of rounds: \"" + item + "\"");
        }
        return Long.toString(spin(rounds));
    }

    static long spin(long rounds) {
        long x = 1;
        for (long i = 0; i < rounds; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
        }
        return x;
    }
}
