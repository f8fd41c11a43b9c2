package procpool.format;

import java.io.IOException;
import java.io.Reader;

/**
 * A reader that keeps what was read from the last cut on, so the raw text of a record the CSV parser has read can be
 * taken out by character position ({@code CSVRecord.getCharacterPosition()}). Holds only the text since the last
 * cut: the current records and the parser's read-ahead.
 */
final class RecordingReader extends Reader {

    private final Reader in;
    private final StringBuilder window = new StringBuilder();
    /** Character position of {@code window}'s first character. */
    private long windowStart;

    RecordingReader(Reader in) {
        this.in = in;
    }

    @Override
    public int read(char[] buffer, int offset, int length) throws IOException {
        int n = in.read(buffer, offset, length);
        if (n > 0) {
            window.append(buffer, offset, n);
        }
        return n;
    }

    /** Characters read so far. */
    long position() {
        return windowStart + window.length();
    }

    /** The text from {@code from} to {@code to}; drops everything before {@code to}. */
    String cut(long from, long to) {
        String text = window.substring((int) (from - windowStart), (int) (to - windowStart));
        window.delete(0, (int) (to - windowStart));
        windowStart = to;
        return text;
    }

    /** The text read after the last cut, kept. */
    String rest() {
        return window.toString();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
