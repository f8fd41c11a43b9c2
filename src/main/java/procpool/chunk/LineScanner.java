package procpool.chunk;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;

/**
 * The lines of a text, appended to a chunk's text a run of characters at a time, with no String per line (what
 * {@code BufferedReader.readLine} makes, only to have it copied into the chunk again). Lines end as with
 * {@code readLine}: at {@code '\n'}, {@code '\r'} or {@code "\r\n"}, and a last line without a line break counts.
 * Not thread-safe.
 */
final class LineScanner implements Closeable {

    private final Reader in;
    private final char[] buffer;
    private int position;
    private int limit;
    private boolean end;
    /** The line before ended with '\r': a '\n' right after it belongs to that line break. */
    private boolean afterCarriageReturn;

    LineScanner(Reader in, int bufferSize) {
        this.in = in;
        this.buffer = new char[bufferSize];
    }

    /** Whether another line follows, reading on if needed. */
    boolean hasLine() throws IOException {
        if (!filled()) {
            return false;
        }
        if (afterCarriageReturn) {
            afterCarriageReturn = false;
            if (buffer[position] == '\n') {
                position++;
                return filled();
            }
        }
        return true;
    }

    /** Appends the next line, without its line break, to {@code text}; call after {@link #hasLine()} said yes. */
    void appendLine(StringBuilder text) throws IOException {
        line(text);
    }

    /** Passes over the next line; call after {@link #hasLine()} said yes. */
    void skipLine() throws IOException {
        line(null);
    }

    private void line(StringBuilder text) throws IOException {
        while (filled()) {
            int start = position;
            int i = start;
            while (i < limit && buffer[i] != '\n' && buffer[i] != '\r') {
                i++;
            }
            if (text != null) {
                text.append(buffer, start, i - start);
            }
            if (i < limit) {
                afterCarriageReturn = buffer[i] == '\r';
                position = i + 1;
                return;
            }
            position = limit;
        }
    }

    /** Whether characters are left to read: refills the buffer once it is used up. */
    private boolean filled() throws IOException {
        while (position >= limit && !end) {
            int read = in.read(buffer, 0, buffer.length);
            if (read < 0) {
                end = true;
            } else {
                position = 0;
                limit = read;
            }
        }
        return position < limit;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
