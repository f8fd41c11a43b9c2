package procpool.batch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import procpool.chunk.ErrorTexts;

/**
 * The errors of one batch and the text of its {@code .error} file (also the report a job's failure reply carries):
 * the first error on the first line (the one to fix first), then every error in line order, then where things are.
 */
final class ErrorReport {

    static final int MAX_ERRORS_LISTED = 1000;

    /** One failed line (or range of lines) of a batch, for its error report, with the worker's stack trace if any. */
    record LineError(long line, String text, String stackTrace) {

        /** Bounded whatever sent them (a worker, an input's name): the report and a job's reply stay small. */
        LineError {
            text = ErrorTexts.cut(text, ErrorTexts.MAX_LINE);
            stackTrace = ErrorTexts.cut(stackTrace, ErrorTexts.MAX_STACK);
        }

        LineError(long line, String text) {
            this(line, text, null);
        }
    }

    private final List<LineError> errors = new ArrayList<>();

    void add(LineError error) {
        errors.add(error);
    }

    /** The errors recorded, in line order (the order they arrived in for the same line). */
    List<LineError> byLine() {
        List<LineError> sorted = new ArrayList<>(errors);
        sorted.sort(Comparator.comparingLong(LineError::line));
        return sorted;
    }

    /** The report on {@code errors}, the first of which is the reason the batch failed. */
    static String text(String batchId, String task, Path input, List<LineError> errors) {
        StringBuilder report = new StringBuilder("error: ").append(errors.get(0).text()).append('\n');
        if (errors.size() > 1) {
            report.append("errors: ").append(errors.size()).append('\n');
            errors.stream().limit(MAX_ERRORS_LISTED).forEach(e -> report.append("  ").append(e.text()).append('\n'));
            if (errors.size() > MAX_ERRORS_LISTED) {
                report.append("  ... and ").append(errors.size() - MAX_ERRORS_LISTED).append(" more\n");
            }
        }
        report.append("batch: ").append(batchId).append('\n')
                .append("task: ").append(task).append('\n')
                .append("input: ").append(input).append('\n');
        String stack = errors.get(0).stackTrace();
        if (stack != null) {
            report.append("stack trace of the first error, ").append(stack.strip()).append('\n');
        }
        return report.toString();
    }

    /** For a log line: how many errors there are besides the first. */
    static String more(List<LineError> errors) {
        return errors.size() > 1 ? " and " + (errors.size() - 1) + " more error(s)" : "";
    }
}
