package procpool.format;

import java.io.IOException;
import java.io.Reader;

/**
 * A reader that keeps what was read from the last cut on, so the raw text of a record the CSV parser has read can be
 * taken out by character position ({@code CSVRecord.getCharacterPosition()}). Holds only the text since the last
 * cut (the current records and the parser's read-ahead), plus at most as much again before it: text cut away is
 * dropped in blocks, not record by record, so a cut costs the record's length, not the read-ahead's.
 */
final class RecordingReader extends Reader {

    private static final int DROP_AT_LEAST = 64 * 1024;

    private final Reader in;
    private final StringBuilder window = new StringBuilder();
    /** Character position of {@code window}'s first character. */
    private long windowStart;
    /** Character position of the last cut: what is before it is no longer needed. */
    private long kept;

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

    /** The text from {@code from} to {@code to}; everything before {@code to} is no longer needed. */
    String cut(long from, long to) {
        String text = window.substring((int) (from - windowStart), (int) (to - windowStart));
        kept = to;
        int unneeded = (int) (kept - windowStart);
        if (unneeded >= DROP_AT_LEAST && unneeded >= window.length() / 2) {
            window.delete(0, unneeded);
            windowStart = kept;
        }
        return text;
    }

    /** The text read after the last cut, kept. */
    String rest() {
        return window.substring((int) (kept - windowStart));
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
