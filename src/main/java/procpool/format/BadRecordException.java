package procpool.format;

/**
 * A record that cannot be read: malformed CSV, a field count that differs from the header, a line that is not JSON.
 * Says where ({@code record 4 (line 6)}, {@code line 6}) and what the parser said.
 */
public final class BadRecordException extends RuntimeException {

    private final long line;
    private final String where;

    public BadRecordException(long line, String where, String problem, Throwable cause) {
        super(where + ": " + problem, cause);
        this.line = line;
        this.where = where;
    }

    /** The file line the record starts on, from 1. */
    public long line() {
        return line;
    }

    /** {@code record N (line L)} or {@code line L}. */
    public String where() {
        return where;
    }
}
