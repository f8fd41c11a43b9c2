package procpool.routes;

import jakarta.jms.JMSException;
import jakarta.jms.Message;

import procpool.batch.ErrorPolicy;
import procpool.protocol.Headers;

/**
 * A job's own error policy, from its properties: {@code procpoolOnError} ({@code fail} or {@code skip}),
 * {@code procpoolMaxErrors} (a whole number, 0 or more) and {@code procpoolMaxErrorRate} (a fraction from 0 to 1).
 * Without {@code procpoolOnError} the task's settings apply; limits without {@code skip} are refused, as they would
 * do nothing.
 */
final class JobErrorPolicy {

    private JobErrorPolicy() {
    }

    /** The job's policy, or null when it sets none (the task's applies). */
    static ErrorPolicy of(Message job) throws JMSException, MalformedJobException {
        String onError = job.propertyExists(Headers.ON_ERROR) ? String.valueOf(job.getObjectProperty(Headers.ON_ERROR))
                : null;
        Long maxErrors = job.propertyExists(Headers.MAX_ERRORS) ? maxErrors(job.getObjectProperty(Headers.MAX_ERRORS))
                : null;
        Double maxErrorRate = job.propertyExists(Headers.MAX_ERROR_RATE)
                ? maxErrorRate(job.getObjectProperty(Headers.MAX_ERROR_RATE)) : null;
        if (onError == null) {
            if (maxErrors != null || maxErrorRate != null) {
                throw new MalformedJobException(Headers.MAX_ERRORS + " and " + Headers.MAX_ERROR_RATE
                        + " need " + Headers.ON_ERROR + "=skip");
            }
            return null;
        }
        return switch (onError) {
            case "fail" -> {
                if (maxErrors != null || maxErrorRate != null) {
                    throw new MalformedJobException(Headers.MAX_ERRORS + " and " + Headers.MAX_ERROR_RATE
                            + " need " + Headers.ON_ERROR + "=skip, not fail");
                }
                yield ErrorPolicy.FAIL;
            }
            case "skip" -> new ErrorPolicy(true, maxErrors, maxErrorRate);
            default -> throw new MalformedJobException("invalid " + Headers.ON_ERROR + " '"
                    + procpool.chunk.ErrorTexts.printable(onError, 80) + "': fail or skip");
        };
    }

    private static Long maxErrors(Object value) throws MalformedJobException {
        try {
            long count = value instanceof Number number && !(value instanceof Float || value instanceof Double)
                    ? number.longValue() : Long.parseLong(String.valueOf(value).strip());
            if (count >= 0) {
                return count;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new MalformedJobException("invalid " + Headers.MAX_ERRORS + " '"
                + procpool.chunk.ErrorTexts.printable(String.valueOf(value), 80) + "': a whole number, 0 or more");
    }

    private static Double maxErrorRate(Object value) throws MalformedJobException {
        try {
            double rate = value instanceof Number number ? number.doubleValue()
                    : Double.parseDouble(String.valueOf(value).strip());
            if (rate >= 0 && rate <= 1) {
                return rate;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new MalformedJobException("invalid " + Headers.MAX_ERROR_RATE + " '"
                + procpool.chunk.ErrorTexts.printable(String.valueOf(value), 80) + "': a fraction from 0 to 1");
    }
}
