package procpool.task.command;

import java.io.FilterReader;
import java.io.IOException;
import java.io.Reader;

/** A reader that fails once more than a given number of characters has come through: a command's output is bounded. */
final class BoundedReader extends FilterReader {

    static final class TooLongException extends IOException {
        TooLongException() {
            super("output too long", null);
        }
    }

    private final long max;
    private long read;

    BoundedReader(Reader in, long max) {
        super(in);
        this.max = max;
    }

    @Override
    public int read() throws IOException {
        int c = super.read();
        if (c >= 0) {
            count(1);
        }
        return c;
    }

    @Override
    public int read(char[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            count(n);
        }
        return n;
    }

    private void count(int n) throws IOException {
        read += n;
        if (read > max) {
            throw new TooLongException();
        }
    }
}
