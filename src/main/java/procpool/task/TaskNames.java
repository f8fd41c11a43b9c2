package procpool.task;

import java.util.regex.Pattern;

import procpool.chunk.ErrorTexts;

/**
 * The one rule for a task name wherever one comes from outside (a job's {@code procpoolTask}, an inbox task folder):
 * a registered name or a task class name, so letters, digits, {@code _ $ -} and dots, not starting with a dot (which
 * rules out {@code .}, {@code ..} and hidden folders), at most 200 characters. No path separator, no control or
 * other character can get through, so a task name is always safe as one folder name.
 */
public final class TaskNames {

    /** Longest task name accepted. */
    public static final int MAX_LENGTH = 200;
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_$-][A-Za-z0-9_.$-]{0," + (MAX_LENGTH - 1) + "}");

    private TaskNames() {
    }

    /** Whether {@code name} may name a task. */
    public static boolean isValid(String name) {
        return name != null && VALID.matcher(name).matches();
    }

    /** Why {@code name} may not name a task, for an error message (the name shown escaped and cut). */
    public static String problem(String name) {
        return "invalid task name '" + ErrorTexts.printable(name, 80) + "': use letters, digits, '_', '$', '-' and "
                + "'.' (a task class name), not starting with '.', at most " + MAX_LENGTH + " characters";
    }
}
