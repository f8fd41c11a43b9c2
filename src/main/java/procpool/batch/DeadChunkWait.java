package procpool.batch;

import java.util.Map;
import java.util.TreeMap;

import procpool.config.Settings;
import procpool.config.TaskSettings;

/**
 * How long a batch waits when one of its chunks used all its attempts and landed in the task queue's dead-letter
 * queue: {@code procpool.task.<name>.dead-chunk-wait-ms}, else {@code procpool.batch.dead-chunk-wait-ms}. While it
 * waits the chunk stays there, to be replayed ({@code procpool dlq replay}) or discarded; 0 (the default) fails the
 * batch at once, naming the chunk.
 */
public final class DeadChunkWait {

    static final String SETTING = "procpool.batch.dead-chunk-wait-ms";
    static final String TASK_PROPERTY = "dead-chunk-wait-ms";

    /** No batch waits: a dead chunk fails its batch at once. */
    public static final DeadChunkWait NONE = new DeadChunkWait(0, Map.of());

    private final long defaultMillis;
    private final Map<String, Long> byTask;

    private DeadChunkWait(long defaultMillis, Map<String, Long> byTask) {
        this.defaultMillis = defaultMillis;
        this.byTask = byTask;
    }

    public static DeadChunkWait of(Settings settings) {
        Map<String, Long> byTask = new TreeMap<>();
        for (Map.Entry<String, TaskSettings> task : settings.tasks().entrySet()) {
            task.getValue().get(TASK_PROPERTY).map(Long::parseLong)
                    .ifPresent(millis -> byTask.put(task.getKey(), millis));
        }
        return of(settings.getLong(SETTING), byTask);
    }

    /** @param byTask each task's own wait, where it has one */
    public static DeadChunkWait of(long defaultMillis, Map<String, Long> byTask) {
        if (defaultMillis < 0 || byTask.values().stream().anyMatch(millis -> millis < 0)) {
            throw new IllegalArgumentException(SETTING + " and procpool.task.<name>." + TASK_PROPERTY
                    + " must be 0 (no wait) or more, were " + defaultMillis + " and " + byTask);
        }
        return new DeadChunkWait(defaultMillis, Map.copyOf(byTask));
    }

    /** Milliseconds a batch of {@code task} waits for a dead chunk; 0: none. */
    long millisFor(String task) {
        Long own = byTask.get(task);
        return own != null ? own : defaultMillis;
    }

    /** The setting that gives {@code task}'s wait, with its value, for messages. */
    String describe(String task) {
        return byTask.containsKey(task) ? TaskSettings.PREFIX + task + "." + TASK_PROPERTY + " " + millisFor(task)
                : SETTING + " " + defaultMillis;
    }
}
