package procpool.task;

import java.math.BigInteger;

/** The integer's square, exact for any size ({@code 3037000500} gives {@code 9223372037000250000}). */
public final class SquareTask implements Task {

    @Override
    public String name() {
        return "square";
    }

    @Override
    public String apply(String item) {
        String number = item.strip();
        if (number.isEmpty()) {
            throw new IllegalArgumentException("not an integer: the line is empty");
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
