package procpool.cli;

import picocli.CommandLine;

/**
 * An option giving seconds to wait ({@code --timeout}, {@code --connect-timeout}): 0 waits for ever, a year at most.
 * A negative value, or one so large that it wraps round once made milliseconds (and waits no time at all), is a usage
 * error naming the option.
 */
final class WaitSeconds {

    /** A year: longer than any wait a command means; far from where milliseconds since 1970 wrap round. */
    static final long MAX = 365L * 24 * 60 * 60;

    private WaitSeconds() {
    }

    /** {@code seconds} of {@code option}, checked. */
    static long check(CommandLine command, String option, long seconds) {
        if (seconds < 0 || seconds > MAX) {
            throw UsageErrors.of(command, option + " must be 0 (wait for ever) to " + MAX + " (a year) seconds, was "
                    + seconds);
        }
        return seconds;
    }

    /** {@code seconds} of {@code option}, checked, in milliseconds. */
    static long millis(CommandLine command, String option, long seconds) {
        return check(command, option, seconds) * 1000;
    }
}
