package procpool.testtasks;

import java.nio.file.Files;
import java.nio.file.Path;

import procpool.task.Task;

/**
 * On the item {@code marker:<path>}, kills its own JVM (as a native crash would) for as long as that file does not
 * exist, and echoes the item once it does; echoes any other item. A fault that a person fixes, then replays.
 */
public final class CrashUntilTask implements Task {

    private static final String MARKER = "marker:";

    @Override
    public String name() {
        return "crashuntil";
    }

    @Override
    public String apply(String item) {
        if (item.startsWith(MARKER) && !Files.exists(Path.of(item.substring(MARKER.length())))) {
            Runtime.getRuntime().halt(134);
        }
        return item;
    }
}
