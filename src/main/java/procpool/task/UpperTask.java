package procpool.task;

import java.util.Locale;

/** The item in upper case (locale-independent). */
public final class UpperTask implements Task {

    @Override
    public String name() {
        return "upper";
    }

    @Override
    public String apply(String item) {
        return item.toUpperCase(Locale.ROOT);
    }
}
