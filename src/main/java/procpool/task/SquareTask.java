package procpool.task;

import java.math.BigInteger;

/** The integer's square, exact for any size ({@code 3037000500} gives {@code 9223372037000250000}). */
public final class SquareTask implements Task {

    @Override
    public String name() {
        return "square";
    }

    /** The largest magnitude whose square fits in a long. */
    private static final long LONG_SQUARE_LIMIT = 3_037_000_499L;

    @Override
    public String apply(String item) {
        String number = item.strip();
        if (number.isEmpty()) {
            throw new IllegalArgumentException("not an integer: the line is empty");
        }
        // most items are small: long arithmetic is several times cheaper than BigInteger
        if (number.length() <= 10) {
            try {
                long small = Long.parseLong(number);
                if (Math.abs(small) <= LONG_SQUARE_LIMIT) {
                    return Long.toString(small * small);
                }
            } catch (NumberFormatException notALong) {
                // BigInteger below gives the same answer or the same error
            }
        }
        BigInteger value;
        try {
            value = new BigInteger(number);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an integer: \"" + number + "\"");
        }
        return value.multiply(value).toString();
    }
}
