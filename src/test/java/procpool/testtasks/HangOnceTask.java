package procpool.testtasks;

import java.nio.file.Files;
import java.nio.file.Path;

import procpool.task.Task;

/**
 * An item {@code hang:<file>} hangs for ever the first time (it creates the file) and answers {@code ok} once the
 * file exists: a task that hangs once, for the watchdog's item time limit. Other items are echoed.
 */
public final class HangOnceTask implements Task {

    @Override
    public String name() {
        return "hang-once";
    }

    @Override
    public String apply(String item) throws Exception {
        if (item.startsWith("hang:")) {
            Path marker = Path.of(item.substring("hang:".length()));
            if (!Files.exists(marker)) {
                Files.createFile(marker);
                Thread.sleep(Long.MAX_VALUE);
            }
            return "ok";
        }
        return item;
    }
}
