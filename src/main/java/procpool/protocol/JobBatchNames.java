package procpool.protocol;

import java.util.regex.Pattern;

/**
 * The rule for a job's {@code procpoolBatchName} (its output file name): letters, digits, '.', '-' and '_', not
 * starting with '.', at most 200 characters. The job route refuses others; {@code procpool submit} checks its
 * {@code --name} with the same rule before sending.
 */
public final class JobBatchNames {

    public static final Pattern VALID = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}");

    private JobBatchNames() {
    }

    public static boolean isValid(String name) {
        return VALID.matcher(name).matches();
    }
}
