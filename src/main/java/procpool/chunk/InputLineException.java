package procpool.chunk;

import java.nio.file.Path;

/** An input file that cannot be read as items, with the file and 1-based line where reading failed. */
public final class InputLineException extends RuntimeException {

    private final long line;

    public InputLineException(Path file, long line, String cause, Throwable throwable) {
        super(file.getFileName() + " line " + line + ": " + cause, throwable);
        this.line = line;
    }

    /** A record that cannot be read: {@code file.csv record 4 (line 6): malformed CSV: ...}. */
    public InputLineException(Path file, procpool.format.BadRecordException bad) {
        super(file.getFileName() + " " + bad.getMessage(), bad);
        this.line = bad.line();
    }

    public long line() {
        return line;
    }
}
