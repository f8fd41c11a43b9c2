package procpool.config;

import java.util.List;

/**
 * The queue names of one procpool installation ({@code procpool.queue.*}), read once from {@link Settings}: every
 * JVM that talks to the broker (coordinator, workers, {@code submit}, {@code status}, a Java API pool connected to a
 * coordinator) takes them from here, so a renamed queue is renamed everywhere.
 *
 * @param tasks   chunks for the workers
 * @param results result chunks for the coordinator
 * @param jobs    job messages from other systems
 * @param status  status requests
 */
public record QueueNames(String tasks, String results, String jobs, String status) {

    public static QueueNames from(Settings settings) {
        return new QueueNames(settings.get("procpool.queue.tasks"), settings.get("procpool.queue.results"),
                settings.get("procpool.queue.jobs"), settings.get("procpool.queue.status"));
    }

    /** The queues of coordinator and workers only. */
    public List<String> service() {
        return List.of(tasks, results);
    }

    /** The queues clients ({@code submit}, {@code status}) may send to. */
    public List<String> client() {
        return List.of(jobs, status);
    }
}
