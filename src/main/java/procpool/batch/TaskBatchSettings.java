package procpool.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import procpool.config.TaskSettings;

/**
 * The settings of each task's batches, in one place: {@code procpool.task.<name>.on-error}, {@code max-errors},
 * {@code max-error-rate} ({@link ErrorPolicy}), {@code chunk-size} and {@code item-timeout-ms}. They apply to the
 * task's inbox folder and to jobs naming it (a job's own properties win). A task without settings gets the
 * coordinator's: fail on a bad item, {@code procpool.chunk.size}, {@code procpool.worker.item-timeout-ms}.
 */
public final class TaskBatchSettings {

    /**
     * The settings of one task; null fields: the coordinator's own. {@code settings} are all of them, as declared
     * (null for a task without any), for the record format and columns ({@code procpool.format.RecordSettings}).
     */
    public record Of(String task, ErrorPolicy policy, Integer chunkSize, Long itemTimeoutMillis,
                     TaskSettings settings) {

        static Of defaults(String task) {
            return new Of(task, ErrorPolicy.FAIL, null, null, null);
        }
    }

    /** No task has settings of its own. */
    public static final TaskBatchSettings NONE = new TaskBatchSettings(Map.of());

    private final Map<String, Of> byTask;

    private TaskBatchSettings(Map<String, Of> byTask) {
        this.byTask = byTask;
    }

    /** From the checked task settings ({@code Settings.tasks()}). */
    public static TaskBatchSettings of(Map<String, TaskSettings> tasks) {
        Map<String, Of> byTask = new TreeMap<>();
        tasks.forEach((name, task) -> byTask.put(name, new Of(name, ErrorPolicy.of(task),
                task.get("chunk-size").map(Integer::parseInt).filter(size -> size > 0).orElse(null),
                // 0 is no limit of its own: the worker's procpool.worker.item-timeout-ms applies
                task.get("item-timeout-ms").map(Long::parseLong).filter(limit -> limit > 0).orElse(null), task)));
        return new TaskBatchSettings(byTask);
    }

    /** The settings of {@code task}'s batches. */
    public Of forTask(String task) {
        Of of = byTask.get(task);
        return of != null ? of : Of.defaults(task);
    }

    /**
     * One line per task with settings of its own, saying what applies to its batches, for the coordinator's start:
     * {@code task square: on-error skip (max-errors 10), chunk-size 1000, item-timeout-ms 300000
     * (procpool.worker.item-timeout-ms)}.
     *
     * @param chunkSize       the coordinator's {@code procpool.chunk.size}
     * @param itemTimeoutMillis the coordinator's {@code procpool.worker.item-timeout-ms}
     */
    public List<String> effectiveLines(String chunkSize, long itemTimeoutMillis) {
        List<String> lines = new ArrayList<>();
        byTask.values().forEach(of -> lines.add("task " + of.task() + ": on-error " + of.policy().describe()
                + ", chunk-size " + (of.chunkSize() != null ? of.chunkSize() : chunkSize + " (procpool.chunk.size)")
                + ", item-timeout-ms " + (of.itemTimeoutMillis() != null ? of.itemTimeoutMillis()
                        : itemTimeoutMillis + " (procpool.worker.item-timeout-ms)")
                + (of.itemTimeoutMillis() != null && itemTimeoutMillis > 0 && of.itemTimeoutMillis() > itemTimeoutMillis
                        ? "; longer than procpool.worker.item-timeout-ms, whose limit (plus "
                        + "procpool.worker.heartbeat-timeout-ms) the coordinator's own workers still keep: raise it too"
                        : "")));
        return lines;
    }
}
