package procpool.protocol;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cause ActiveMQ gives a message it dead-lettered ({@code dlqDeliveryFailureCause}), told shortly: its
 * {@code java.lang.Throwable: Dispatch[5] to ID:host-1234-...:3:1:1 exceeds redelivery policy limit:RedeliveryPolicy
 * {destination = null, ... }, cause:null} becomes {@code the broker gave up after 5 deliveries}, with the last
 * failure a worker rolled the message back with, if any. Other texts are kept as they are.
 */
public final class DeadLetterCause {

    private static final Pattern REDELIVERY_LIMIT = Pattern.compile("(?s)^(?:java\\.lang\\.Throwable: )?"
            + "(?:Delivery|Dispatch)\\[(\\d+)\\](?: to \\S+)? exceeds redelivery policy limit"
            + "(?::RedeliveryPolicy \\{[^}]*\\})?(?:, cause:(.*))?$");

    private DeadLetterCause() {
    }

    /** How often the broker delivered the message before giving up, as its cause says; null if it does not say. */
    public static Integer deliveries(String brokerCause) {
        Matcher matcher = REDELIVERY_LIMIT.matcher(brokerCause == null ? "" : brokerCause.strip());
        return matcher.matches() ? Integer.valueOf(matcher.group(1)) : null;
    }

    /** The broker's cause, short; null stays null. */
    public static String describe(String brokerCause) {
        if (brokerCause == null) {
            return null;
        }
        Matcher matcher = REDELIVERY_LIMIT.matcher(brokerCause.strip());
        if (!matcher.matches()) {
            return brokerCause;
        }
        String last = matcher.group(2) == null ? null : matcher.group(2).strip();
        return "the broker gave up after " + matcher.group(1) + " deliveries"
                + (last == null || last.isEmpty() || last.equals("null") ? " (its workers died or stopped on it)"
                : "; the last one was rolled back with " + last);
    }
}
