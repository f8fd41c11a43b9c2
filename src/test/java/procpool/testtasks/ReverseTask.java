package procpool.testtasks;

import procpool.task.Task;

/** A task that ships in a plugin jar, not in procpool: reverses the item. */
public final class ReverseTask implements Task {

    @Override
    public String name() {
        return "reverse";
    }

    @Override
    public String apply(String item) {
        return new StringBuilder(item).reverse().toString();
    }
}
