package procpool.chunk;

/**
 * The bounds of every error text procpool writes, so a huge item (a 50 MB line) can never make a failed result
 * message, an {@code .error} file or a job reply too big to send or read: an item quoted in an error is cut after
 * {@value #MAX_ITEM} characters, a task's exception message after {@value #MAX_MESSAGE}, one error line after
 * {@value #MAX_LINE}, a stack trace after {@value #MAX_STACK}; a cut text ends with {@code …(N more characters)}.
 */
public final class ErrorTexts {

    /** Characters of an item quoted in an error. */
    public static final int MAX_ITEM = 200;
    /** Characters of an exception's message (a task's cause for rejecting an item). */
    public static final int MAX_MESSAGE = 1000;
    /** Characters of one error line: {@code <file> line N: item "…": cause}. */
    public static final int MAX_LINE = 2000;
    /** Characters of a stack trace in a failed result or an error report. */
    public static final int MAX_STACK = 16_000;

    private ErrorTexts() {
    }

    /** {@code text} cut after {@code max} characters (never inside a surrogate pair), saying how much is left out. */
    public static String cut(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
        return text.substring(0, end) + "…(" + (text.length() - end) + " more characters)";
    }

    /**
     * A text from outside (a task or file name a client sent) for a one-line message: control characters shown as
     * {@code \\uXXXX}, so it cannot break or forge log lines, and cut after {@code max} characters.
     */
    public static String printable(String text, int max) {
        String cut = cut(text, max);
        StringBuilder shown = new StringBuilder(cut.length());
        cut.chars().forEach(c -> shown.append(Character.isISOControl(c) ? String.format("\\u%04x", c)
                : String.valueOf((char) c)));
        return shown.toString();
    }

    /** An item as an error quotes it. */
    public static String item(String item) {
        return cut(item, MAX_ITEM);
    }

    /**
     * An exception's message as an error shows it: each whole quote of a long {@code item} in it (a task's
     * {@code not an integer: "…"}) replaced by the item cut, then the whole cut after {@value #MAX_MESSAGE}.
     */
    public static String message(String message, String item) {
        if (message == null) {
            return null;
        }
        String quoted = item != null && item.length() > MAX_ITEM ? message.replace(item, item(item)) : message;
        return cut(quoted, MAX_MESSAGE);
    }
}
