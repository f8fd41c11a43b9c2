package procpool.format;

import java.io.IOException;
import java.io.Reader;
import java.util.Iterator;

/**
 * JSON Lines batches: each line that is not blank holds one JSON value, which is the item as it is written. A line
 * that is not one JSON value is a bad record, named by its line number and the parser's message. The output has one
 * line per record: the result itself when it is JSON, else the result as a JSON string, each line ended as the input's
 * first line is ({@code \r\n} or {@code \n}).
 */
public final class JsonLinesFormat implements RecordFormat {

    @Override
    public String name() {
        return RecordSettings.JSONL;
    }

    @Override
    public JsonLinesReader reader(Reader text) {
        return new JsonLinesReader(text);
    }

    @Override
    public BatchOutput output(Reader input, long firstIndex) throws IOException {
        String lineBreak;
        try (input) { // beyond its line break, the output needs only the results
            lineBreak = firstLineBreak(input);
        }
        return new BatchOutput() {
            @Override
            public String render(String results, int itemCount) throws IOException {
                StringBuilder out = new StringBuilder(results.length() + 16);
                Iterator<String> lines = results.lines().iterator();
                for (int i = 0; i < itemCount; i++) {
                    String line = lines.hasNext() ? lines.next() : "\"\"";
                    if (!CsvOutput.SKIPPED.equals(line)) {
                        out.append(JsonValues.asJsonLine(JsonValues.decodeString(line))).append(lineBreak);
                    }
                }
                return out.toString();
            }

            @Override
            public String end() {
                return "";
            }

            @Override
            public void close() {
            }
        };
    }

    /** {@code \r\n} if the input's first line ends so, else {@code \n}. */
    private static String firstLineBreak(Reader input) throws IOException {
        int previous = -1;
        int c;
        while ((c = input.read()) != -1 && c != '\n') {
            previous = c;
        }
        return c == '\n' && previous == '\r' ? "\r\n" : "\n";
    }
}
