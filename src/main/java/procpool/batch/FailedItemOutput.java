package procpool.batch;

import java.util.List;

import procpool.protocol.ItemFailure;

/**
 * What the output of a batch run under the skip policy holds in the place of a failed item, per format. The worker
 * sends every result of a chunk with an empty line for each failed item; this turns that into the lines the output
 * gets. {@link #EMPTY_LINE} (the {@code lines} format: line i of the output stays the result of line i of the input)
 * or {@link #ABSENT} (record formats such as JSON Lines and CSV, where an empty line is no record).
 */
@FunctionalInterface
public interface FailedItemOutput {

    /** The result lines to write. */
    Lines of(String results, int itemCount, long firstItem, List<ItemFailure> failures);

    /** Result lines, joined with '\n' (empty when {@code count} is 0), and how many there are. */
    record Lines(String text, int count) {
    }

    /** A failed item's output line is empty: the output keeps one line per input line. */
    FailedItemOutput EMPTY_LINE = (results, itemCount, firstItem, failures) -> new Lines(results, itemCount);

    /** A failed item has no output line. */
    FailedItemOutput ABSENT = (results, itemCount, firstItem, failures) -> {
        if (failures.isEmpty()) {
            return new Lines(results, itemCount);
        }
        String[] lines = results.split("\n", -1);
        boolean[] failed = new boolean[lines.length];
        for (ItemFailure failure : failures) {
            long at = failure.index() - firstItem;
            if (at >= 0 && at < failed.length) {
                failed[(int) at] = true;
            }
        }
        StringBuilder kept = new StringBuilder(results.length());
        int count = 0;
        for (int i = 0; i < lines.length; i++) {
            if (!failed[i]) {
                if (count++ > 0) {
                    kept.append('\n');
                }
                kept.append(lines[i]);
            }
        }
        return new Lines(kept.toString(), count);
    };

    /**
     * A failed item's result is the JSON literal {@code null}, which a record format's output passes over (its
     * record is left out of a CSV or JSON Lines output): the results stay one per item, so the output can still pair
     * each result with its input record.
     */
    FailedItemOutput JSON_NULL = (results, itemCount, firstItem, failures) -> {
        if (failures.isEmpty()) {
            return new Lines(results, itemCount);
        }
        String[] lines = results.split("\n", -1);
        for (ItemFailure failure : failures) {
            long at = failure.index() - firstItem;
            if (at >= 0 && at < lines.length) {
                lines[(int) at] = "null";
            }
        }
        return new Lines(String.join("\n", lines), itemCount);
    };
}
