package procpool.format;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * The records of a CSV input (see {@link CsvFormat}), each with its record number, the line it starts on and its raw
 * text. Reads one record ahead (where a record ends is where the next one starts). A malformed record, or one whose
 * field count is not the header's, throws {@link BadRecordException} naming its record and line; reading ends there.
 */
public final class CsvRecordReader implements RecordReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RecordingReader text;
    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    private final List<String> header;
    private final String headerText;
    private final String lineBreak;
    private final String inputColumn;
    /** Line breaks in the text before the next record to hand out. */
    private long linesBefore;
    private CSVRecord ahead;
    private BadRecordException failed;
    private long index;

    /**
     * @param inputColumn  the column that is the item, or null for the record as a JSON object; must be in the header
     * @param outputColumn the result column, which must not be in the header already; null: not checked
     */
    CsvRecordReader(Reader input, String inputColumn, String outputColumn) throws IOException {
        this.text = new RecordingReader(input);
        this.inputColumn = inputColumn;
        try {
            this.parser = CsvFormat.READ.parse(text);
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            input.close();
            throw codingError(e) != null ? codingError(e) : new BadRecordException(1, "header (line 1)",
                    "not a CSV header: " + e.getMessage(), e);
        }
        this.header = parser.getHeaderNames();
        if (header.isEmpty()) {
            input.close();
            throw new BadRecordException(1, "header (line 1)",
                    "the file is empty: a CSV batch starts with a header row", null);
        }
        if (inputColumn != null && !header.contains(inputColumn)) {
            input.close();
            throw new BadRecordException(1, "header (line 1)", "no column '" + inputColumn
                    + "' for the item (input-column); the columns are " + String.join(", ", header), null);
        }
        if (outputColumn != null && header.contains(outputColumn)) {
            input.close();
            throw new BadRecordException(1, "header (line 1)", "the result column '" + outputColumn
                    + "' is already an input column; set output-column to another name", null);
        }
        this.records = parser.iterator();
        try {
            fetch();
        } catch (RuntimeException e) {
            input.close(); // bytes that are not UTF-8 in the first record
            throw e;
        }
        String headerRaw = ahead != null ? text.cut(0, ahead.getCharacterPosition()) : rest();
        this.linesBefore = lineBreaks(headerRaw, headerRaw.length());
        this.headerText = stripLineBreaks(headerRaw);
        String firstBreak = parser.getFirstEndOfLine();
        this.lineBreak = firstBreak != null ? firstBreak : "\r\n";
    }

    /** The column names, in order. */
    public List<String> header() {
        return header;
    }

    /** The header row as it is in the file, without its line break. */
    public String headerText() {
        return headerText;
    }

    /** The input's line break ({@code \r\n}, {@code \n} or {@code \r}); {@code \r\n} for a file without one. */
    public String lineBreak() {
        return lineBreak;
    }

    @Override
    public boolean hasNext() {
        return ahead != null || failed != null;
    }

    @Override
    public Record next() {
        if (ahead == null) {
            if (failed != null) {
                BadRecordException bad = failed;
                failed = null;
                throw bad;
            }
            throw new NoSuchElementException();
        }
        CSVRecord current = ahead;
        fetch();
        String raw = null;
        long line;
        if (failed == null) {
            raw = ahead != null ? text.cut(current.getCharacterPosition(), ahead.getCharacterPosition()) : rest();
            line = linesBefore + leadingLineBreaks(raw) + 1;
            linesBefore += lineBreaks(raw, raw.length());
            raw = stripLineBreaks(raw);
        } else {
            line = linesBefore + 1;
        }
        long number = current.getRecordNumber();
        if (current.size() != header.size()) {
            String where = where(number, line);
            ahead = null;
            failed = null;
            throw new BadRecordException(line, where, current.size() + " field(s), the header has " + header.size()
                    + " (" + String.join(", ", header) + ")", null);
        }
        return new Record(index++, number, line, item(current), raw);
    }

    /** The item of a record: one column's value, or the record as a JSON object in header order. */
    private String item(CSVRecord record) {
        if (inputColumn != null) {
            return record.get(inputColumn);
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) {
            fields.put(header.get(i), record.get(i));
        }
        try {
            return JSON.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads the record after the current one into {@link #ahead}, or the error that stops reading. */
    private void fetch() {
        // the parser has read through the record before: the one it reads now starts on the line after
        long linesRead = parser.getCurrentLineNumber();
        try {
            ahead = records.hasNext() ? records.next() : null;
        } catch (UncheckedIOException | IllegalStateException e) {
            ahead = null;
            RuntimeException coding = codingError(e);
            if (coding != null) {
                throw coding;
            }
            long number = parser.getRecordNumber() + 1;
            long line = linesRead + 1;
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            failed = new BadRecordException(line, where(number, line), "malformed CSV: " + cause.getMessage(), e);
        }
    }

    /** Whatever is left after the last cut: the end of the input once the parser has read it all. */
    private String rest() {
        String rest = text.rest();
        text.cut(text.position() - rest.length(), text.position());
        return rest;
    }

    private static String where(long number, long line) {
        return "record " + number + " (line " + line + ")";
    }

    /** A failure to decode the input as UTF-8, rethrown as it is, so the caller can name the first bad line. */
    private static RuntimeException codingError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.nio.charset.CharacterCodingException coding) {
                return new UncheckedIOException(coding);
            }
        }
        return null;
    }

    static String stripLineBreaks(String raw) {
        int from = 0;
        int to = raw.length();
        while (from < to && isBreak(raw.charAt(from))) {
            from++;
        }
        while (to > from && isBreak(raw.charAt(to - 1))) {
            to--;
        }
        return raw.substring(from, to);
    }

    private static boolean isBreak(char c) {
        return c == '\n' || c == '\r';
    }

    private static long leadingLineBreaks(String raw) {
        int end = 0;
        while (end < raw.length() && isBreak(raw.charAt(end))) {
            end++;
        }
        return lineBreaks(raw, end);
    }

    /** Line breaks in {@code text} before {@code end}: {@code \r\n}, {@code \n} and a lone {@code \r} count one. */
    static long lineBreaks(String text, int end) {
        long breaks = 0;
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n')) {
                breaks++;
            }
        }
        return breaks;
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
