package procpool.format;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.NoSuchElementException;

/** The records of a JSON Lines input (see {@link JsonLinesFormat}); a bad line throws, and reading goes on after it. */
public final class JsonLinesReader implements RecordReader {

    private final BufferedReader lines;
    private long lineNumber;
    private long index;
    private String next;
    private long nextLine;

    JsonLinesReader(Reader text) {
        this.lines = text instanceof BufferedReader buffered ? buffered : new BufferedReader(text);
        advance();
    }

    private void advance() {
        try {
            String line;
            while ((line = lines.readLine()) != null) {
                lineNumber++;
                if (!line.isBlank()) {
                    next = line;
                    nextLine = lineNumber;
                    return;
                }
            }
            next = null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean hasNext() {
        return next != null;
    }

    @Override
    public Record next() {
        if (next == null) {
            throw new NoSuchElementException();
        }
        String line = next;
        long number = nextLine;
        advance();
        String problem = JsonValues.problem(line);
        long position = index++;
        if (problem != null) {
            throw new BadRecordException(number, "line " + number, "not JSON: " + problem, null);
        }
        return new Record(position, position + 1, number, line, line);
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }
}
