package procpool.chunk;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * The lines of a text's UTF-8 bytes, appended to a chunk's bytes a run at a time, never decoded: a line break byte
 * never occurs inside a UTF-8 multi-byte sequence, so lines are cut from the bytes as they are read (no String per
 * line, no char per byte). Lines end as with {@code BufferedReader.readLine}: at {@code '\n'}, {@code '\r'} or
 * {@code "\r\n"} ({@link LineBreaks}), and a last line without a line break counts. Whether the bytes are UTF-8 is
 * the caller's to check ({@link Utf8Bytes}): each appended line says whether it held a byte that is not ASCII.
 * Not thread-safe.
 */
final class LineScanner implements Closeable {

    private final InputStream in;
    private final byte[] buffer;
    private int position;
    private int limit;
    private boolean end;
    /** The line before ended with '\r': a '\n' right after it belongs to that line break. */
    private boolean afterCarriageReturn;

    LineScanner(InputStream in, int bufferSize) {
        this.in = in;
        this.buffer = new byte[bufferSize];
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

    /**
     * Appends the next line's bytes, without its line break, to {@code text}; call after {@link #hasLine()} said yes.
     *
     * @return whether the line held a byte that is not ASCII (a multi-byte sequence, or a byte that is not UTF-8)
     */
    boolean appendLine(ByteText text) throws IOException {
        return line(text, Long.MAX_VALUE);
    }

    /**
     * Appends the next line and the whole lines after it that the read buffer holds, up to {@code max} lines in all,
     * joined by {@code '\n'}; call after {@link #hasLine()} said yes. Lines each ended by a lone {@code '\n'} are
     * copied in one piece, their line breaks with them (joined as they were); a line ended otherwise ({@code '\r'},
     * or the buffer's end) is taken alone, as {@link #appendLine(ByteText)} takes it. No line of more than
     * {@code maxBytes} is taken in a run (alone it throws {@link LineTooLongException} once that many of its bytes
     * are read, so memory holds no more of it), and a run ends with the line
     * that brings {@code text} to {@code maxBytes}: its caller sees the same line ends there as line by line. The sign
     * of the result says whether a byte that is not ASCII was among the lines.
     *
     * @return the lines appended (at least 1), negated if one held a byte that is not ASCII
     */
    int appendLines(ByteText text, int max, long maxBytes) throws IOException {
        byte[] bytes = buffer;
        int start = position;
        int stop = limit;
        long room = maxBytes - text.length();
        int lines = 0;
        int bytesOr = 0;
        int orOfWholeLines = 0;
        int end = -1;
        int lineStart = start;
        for (int i = start; i < stop && lines < max; i++) {
            byte b = bytes[i];
            if (b == '\n') {
                if (i - lineStart > maxBytes) {
                    break;
                }
                lines++;
                end = i;
                orOfWholeLines = bytesOr;
                lineStart = i + 1;
                if (i - start >= room) {
                    break;
                }
            } else if (b == '\r') {
                break;
            } else {
                bytesOr |= b;
            }
        }
        if (lines == 0) {
            return line(text, maxBytes) ? -1 : 1;
        }
        text.append(bytes, start, end - start);
        position = end + 1;
        return orOfWholeLines < 0 ? -lines : lines;
    }

    /** Passes over the next line; call after {@link #hasLine()} said yes. */
    void skipLine() throws IOException {
        line(null, Long.MAX_VALUE);
    }

    /** A line longer than the most bytes allowed. */
    static final class LineTooLongException extends IOException {
        LineTooLongException(long maxBytes) {
            super("a line of more than " + maxBytes + " bytes");
        }
    }

    private boolean line(ByteText text, long maxBytes) throws IOException {
        int bytesOr = 0;
        long lineBytes = 0;
        while (filled()) {
            byte[] bytes = buffer;
            int start = position;
            int i = start;
            int stop = limit;
            byte b = 0;
            while (i < stop && (b = bytes[i]) != '\n' && b != '\r') {
                bytesOr |= b;
                i++;
            }
            lineBytes += i - start;
            if (lineBytes > maxBytes) {
                throw new LineTooLongException(maxBytes);
            }
            if (text != null) {
                text.append(bytes, start, i - start);
            }
            if (i < stop) {
                afterCarriageReturn = b == '\r';
                position = i + 1;
                return bytesOr < 0;
            }
            position = stop;
        }
        return bytesOr < 0;
    }

    /** Whether bytes are left to read: refills the buffer once it is used up. */
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
