package procpool.chunk;

import java.nio.file.Path;

/** An input file that cannot be read as items, with the file and 1-based line where reading failed. */
public final class InputLineException extends RuntimeException {

    private final long line;

    public InputLineException(Path file, long line, String cause, Throwable throwable) {
        super(file.getFileName() + " line " + line + ": " + cause, throwable);
        this.line = line;
    }

    public long line() {
        return line;
    }
}
