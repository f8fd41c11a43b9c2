package procpool.testtasks;

import java.nio.file.Files;
import java.nio.file.Path;

import procpool.task.RetryableTaskException;
import procpool.task.Task;

/**
 * An item {@code <file>} fails retryably until it has been tried three times (counted in the file), then answers
 * {@code ok after 3}: a flaky service, for retries with back-off. {@code always:<file>} never succeeds.
 */
public final class FlakyTask implements Task {

    @Override
    public String name() {
        return "flaky";
    }

    @Override
    public String apply(String item) throws Exception {
        boolean always = item.startsWith("always:");
        Path counter = Path.of(always ? item.substring("always:".length()) : item);
        int tries = Files.exists(counter) ? Integer.parseInt(Files.readString(counter).strip()) + 1 : 1;
        Files.writeString(counter, Integer.toString(tries));
        if (always || tries < 3) {
            throw new RetryableTaskException("service busy (try " + tries + ")");
        }
        return "ok after " + tries;
    }
}
