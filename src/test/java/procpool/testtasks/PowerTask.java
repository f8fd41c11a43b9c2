package procpool.testtasks;

import java.math.BigInteger;
import java.util.List;

import procpool.task.Task;

/** {@code base ** exponent}: a task of two arguments, for starmap. */
public final class PowerTask implements Task {

    @Override
    public String name() {
        return "power";
    }

    @Override
    public String apply(String item) {
        throw new IllegalArgumentException("power takes a base and an exponent");
    }

    @Override
    public String applyArgs(List<String> arguments) {
        return new BigInteger(arguments.get(0)).pow(Integer.parseInt(arguments.get(1))).toString();
    }
}
