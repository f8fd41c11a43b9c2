package procpool.task.route;

import java.nio.file.Path;

import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

import procpool.task.Task;

/**
 * A task that is a Camel route from {@code direct:<name>}: the item goes in as the message body (a String), the body
 * at the end of the route comes out as the result, converted to a String, without one final line break (a result
 * with a line break inside fails its item, as any task's does). An exception the route ends with is thrown
 * as it is, so it fails the item as a Java task's exception does. Thread-safe: every item is its own exchange, run
 * on the caller's thread (a direct endpoint), so the worker's item watchdog and heartbeat see it as any other task.
 */
final class RouteTask implements Task {

    private final String name;
    private final Path file;
    private final Endpoint endpoint;
    private final ProducerTemplate template;

    RouteTask(String name, Path file, Endpoint endpoint, ProducerTemplate template) {
        this.name = name;
        this.file = file;
        this.endpoint = endpoint;
        this.template = template;
    }

    @Override
    public String name() {
        return name;
    }

    /** The route file this task comes from. */
    Path file() {
        return file;
    }

    @Override
    public String apply(String item) throws Exception {
        Exchange done = template.send(endpoint, exchange -> exchange.getMessage().setBody(item));
        Exception failure = done.getException();
        if (failure != null) {
            throw failure;
        }
        String result = done.getMessage().getBody(String.class);
        if (result == null) {
            throw new IllegalStateException("route " + name + " (" + file.getFileName() + ") ended with no body; "
                    + "its last step must leave the result in the body");
        }
        // as a command's output: one final line break ends the line, it is not part of it
        // (an HTTP answer often has one)
        if (result.endsWith("\r\n")) {
            return result.substring(0, result.length() - 2);
        }
        return result.endsWith("\n") ? result.substring(0, result.length() - 1) : result;
    }

    @Override
    public String toString() {
        return "route direct:" + name + " in " + file;
    }
}
