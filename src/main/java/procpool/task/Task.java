package procpool.task;

import java.util.List;

/**
 * A named function from one input line to one output line, run by the worker JVMs.
 *
 * <p>Implementations are found with {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/procpool.task.Task} of a jar and drop the jar into the {@code plugins/} folder.
 * One instance serves every item, possibly from several threads, so an implementation must be thread-safe
 * (a stateless class is).
 */
public interface Task {

    /** The name users put in the inbox folder ({@code inbox/<name>/file.txt}); letters, digits, '-' and '_'. */
    String name();

    /**
     * Computes the result for one item.
     *
     * @param item one line of the input, without its line break
     * @return the result, a single line (no line break)
     * @throws Exception when the item is not valid for this task; the batch then fails with the line number,
     *                   the item and this exception's message
     */
    String apply(String item) throws Exception;

    /**
     * Computes the result for an item made of several arguments ({@code ProcessPool.starmap}, Python's
     * {@code starmap}). By default a task takes exactly one argument; override this to take more.
     *
     * @throws Exception as {@link #apply(String)}
     */
    default String applyArgs(List<String> arguments) throws Exception {
        if (arguments.size() != 1) {
            throw new IllegalArgumentException("task " + name() + " takes 1 argument, got " + arguments.size());
        }
        return apply(arguments.get(0));
    }

    /**
     * Whether {@code failure} is worth a retry of the chunk (with back-off, up to the configured attempts) rather
     * than failing the item at once. By default only a {@link RetryableTaskException} is.
     */
    default boolean isRetryable(Exception failure) {
        return failure instanceof RetryableTaskException;
    }
}
