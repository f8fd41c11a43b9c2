package procpool.batch;

import java.math.BigDecimal;
import java.util.Properties;

import procpool.config.TaskSettings;

/**
 * What a batch does with items its task rejects: {@code fail} (the batch fails, naming every bad line; the default)
 * or {@code skip} (the batch completes, each failed item set aside with its cause), the latter bounded by
 * {@code maxErrors} (more failed items than this fail the batch) and {@code maxErrorRate} (more than this share of
 * the batch's items). Set per task ({@code procpool.task.<name>.on-error}, {@code max-errors},
 * {@code max-error-rate}) or per job ({@code procpoolOnError}, {@code procpoolMaxErrors},
 * {@code procpoolMaxErrorRate}).
 *
 * @param maxErrors    null for no limit
 * @param maxErrorRate null for no limit, else a fraction from 0 to 1
 */
public record ErrorPolicy(boolean skip, Long maxErrors, Double maxErrorRate) {

    /** Today's behaviour: one bad item fails the batch. */
    public static final ErrorPolicy FAIL = new ErrorPolicy(false, null, null);

    public ErrorPolicy {
        if (maxErrors != null && maxErrors < 0) {
            throw new IllegalArgumentException("max-errors must be 0 or more, was " + maxErrors);
        }
        if (maxErrorRate != null && !(maxErrorRate >= 0 && maxErrorRate <= 1)) {
            throw new IllegalArgumentException("max-error-rate must be a fraction from 0 to 1, was " + maxErrorRate);
        }
    }

    /** The policy a task's settings give (fail when it sets none). */
    public static ErrorPolicy of(TaskSettings task) {
        return new ErrorPolicy(task.get("on-error").map("skip"::equals).orElse(false),
                task.get("max-errors").map(Long::parseLong).orElse(null),
                task.get("max-error-rate").map(Double::parseDouble).orElse(null));
    }

    /**
     * Why a batch of {@code items} items with {@code failed} failed items must fail, or null while it is within the
     * limits: {@code more than 10 failed items (max-errors=10)}, {@code more than 1% of 1000 items failed: 11 failed
     * items (max-error-rate=0.01)}.
     */
    public String exceeded(long failed, long items) {
        if (maxErrors != null && failed > maxErrors) {
            return "more than " + maxErrors + " failed item" + (maxErrors == 1 ? "" : "s") + " (max-errors="
                    + maxErrors + ")";
        }
        if (maxErrorRate != null && failed > maxErrorRate * items) {
            return "more than " + percent(maxErrorRate) + " of " + items + " items failed: " + failed
                    + " failed item" + (failed == 1 ? "" : "s") + " (max-error-rate=" + plain(maxErrorRate) + ")";
        }
        return null;
    }

    /** For the coordinator's log: {@code fail}, or {@code skip (max-errors 10, max-error-rate 0.01)}. */
    public String describe() {
        if (!skip) {
            return "fail";
        }
        String limits = (maxErrors == null ? "" : "max-errors " + maxErrors)
                + (maxErrors != null && maxErrorRate != null ? ", " : "")
                + (maxErrorRate == null ? "" : "max-error-rate " + plain(maxErrorRate));
        return "skip" + (limits.isEmpty() ? " (no limit)" : " (" + limits + ")");
    }

    /** Into a batch's checkpoint, so a resumed batch keeps the policy it started with (a job's own). */
    void store(Properties properties) {
        properties.setProperty("onError", skip ? "skip" : "fail");
        if (maxErrors != null) {
            properties.setProperty("maxErrors", Long.toString(maxErrors));
        }
        if (maxErrorRate != null) {
            properties.setProperty("maxErrorRate", plain(maxErrorRate));
        }
    }

    /** As {@link #store} wrote it; {@link #FAIL} for a checkpoint from before policies. */
    static ErrorPolicy load(Properties properties) {
        String maxErrors = properties.getProperty("maxErrors");
        String maxErrorRate = properties.getProperty("maxErrorRate");
        return new ErrorPolicy("skip".equals(properties.getProperty("onError")),
                maxErrors == null ? null : Long.parseLong(maxErrors),
                maxErrorRate == null ? null : Double.parseDouble(maxErrorRate));
    }

    private static String plain(double fraction) {
        return BigDecimal.valueOf(fraction).stripTrailingZeros().toPlainString();
    }

    private static String percent(double fraction) {
        return BigDecimal.valueOf(fraction).movePointRight(2).stripTrailingZeros().toPlainString() + "%";
    }
}
