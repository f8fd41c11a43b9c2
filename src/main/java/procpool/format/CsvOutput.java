package procpool.format;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * A CSV batch's output: each input record as it was written in the file, then the result as one more field (or, with
 * {@code output=merge}, the result object's fields as more fields), ended by the input's line break. The header is
 * the input's header with the new column names. Reads the input a second time, in step with the results.
 */
final class CsvOutput implements BatchOutput {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Fields as RFC 4180 wants them: quoted only when they hold a comma, a quote or a line break (or start blank). */
    private static final CSVFormat PRINT = CSVFormat.RFC4180.builder().setRecordSeparator("").get();

    /** A result line for an item without a result (see {@link BatchOutput#render}). */
    static final String SKIPPED = "null";

    private final CsvRecordReader input;
    private final String outputColumn;
    private final boolean merge;
    private boolean headerPending;
    /** With merge: the result fields that are columns, from the first result (or the output's header, resumed). */
    private List<String> mergedColumns;

    CsvOutput(CsvRecordReader input, String outputColumn, boolean merge, boolean fromStart) {
        this.input = input;
        this.outputColumn = outputColumn;
        this.merge = merge;
        this.headerPending = fromStart;
    }

    @Override
    public String render(String results, int itemCount) throws IOException {
        StringBuilder out = new StringBuilder(results.length() * 2 + 64);
        Iterator<String> lines = results.lines().iterator();
        for (int i = 0; i < itemCount; i++) {
            String line = lines.hasNext() ? lines.next() : "\"\"";
            Record record = input.next();
            if (SKIPPED.equals(line)) {
                continue;
            }
            String result = JsonValues.decodeString(line);
            if (merge) {
                Map<String, String> fields = mergedFields(record, result);
                if (headerPending) {
                    mergedColumns = new ArrayList<>(fields.keySet());
                    for (String column : mergedColumns) {
                        if (input.header().contains(column)) {
                            throw new ResultNotWritableException(where(record) + ": result field '" + column
                                    + "' is already an input column (output=merge)");
                        }
                    }
                    out.append(header(mergedColumns));
                    headerPending = false;
                }
                if (mergedColumns == null) {
                    throw new ResultNotWritableException(where(record)
                            + ": a resumed merge output cannot tell its columns");
                }
                for (String field : fields.keySet()) {
                    if (!mergedColumns.contains(field)) {
                        throw new ResultNotWritableException(where(record) + ": result field '" + field
                                + "' is not among the output columns taken from the first record's result ("
                                + String.join(", ",
                                mergedColumns) + ")");
                    }
                }
                out.append(record.raw());
                for (String column : mergedColumns) {
                    out.append(',').append(field(fields.getOrDefault(column, "")));
                }
            } else {
                if (headerPending) {
                    out.append(header(List.of(outputColumn)));
                    headerPending = false;
                }
                out.append(record.raw()).append(',').append(field(result));
            }
            out.append(input.lineBreak());
        }
        return out.toString();
    }

    /** The result object's fields as column values: strings as they are, other values as JSON text. */
    private static Map<String, String> mergedFields(Record record, String result) throws IOException {
        JsonNode node;
        try {
            node = JSON.readTree(result);
        } catch (IOException e) {
            node = null;
        }
        if (node == null || !node.isObject()) {
            throw new ResultNotWritableException(where(record)
                    + ": the result is not a JSON object, as output=merge needs: "
                    + procpool.chunk.ErrorTexts.cut(result, procpool.chunk.ErrorTexts.MAX_ITEM));
        }
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        node.fields().forEachRemaining(field -> fields.put(field.getKey(),
                field.getValue().isTextual() ? field.getValue().textValue()
                        : field.getValue().isNull() ? "" : field.getValue().toString()));
        return fields;
    }

    private static String where(Record record) {
        return "record " + record.number() + " (line " + record.line() + ")";
    }

    private String header(List<String> columns) throws IOException {
        StringBuilder header = new StringBuilder(input.headerText());
        for (String column : columns) {
            header.append(',').append(field(column));
        }
        return header.append(input.lineBreak()).toString();
    }

    /** One field as RFC 4180 writes it (quoted only where Commons CSV's minimal quoting would). */
    static String field(String value) throws IOException {
        if (needsNoQuotes(value)) {
            return value;
        }
        StringBuilder text = new StringBuilder(value.length() + 2);
        try (CSVPrinter printer = new CSVPrinter(text, PRINT)) {
            // not at the start of a record: Commons CSV quotes an empty first field ("")
            printer.print("x");
            printer.print(value);
        }
        return text.substring(2);
    }

    /**
     * What Commons CSV's minimal quoting prints as it is: not empty, not starting with a character up to {@code #}
     * (blanks, controls, {@code !"#}), no comma, quote or line break, not ending with a blank. The common case, which
     * then needs no printer.
     */
    private static boolean needsNoQuotes(String value) {
        int length = value.length();
        if (length == 0 || value.charAt(0) <= '#' || value.charAt(length - 1) <= ' ') {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c == ',' || c == '"' || c == '\n' || c == '\r') {
                return false;
            }
        }
        return true;
    }

    /** A merge output whose header is already written: the columns after the input's are the result's fields. */
    @Override
    public void continueAfter(java.nio.file.Path partialOutput) throws IOException {
        if (!merge || headerPending) {
            return;
        }
        try (CsvRecordReader written = new CsvRecordReader(RecordInput.open(partialOutput), null, null)) {
            List<String> outputHeader = written.header();
            mergedColumns = new ArrayList<>(outputHeader.subList(input.header().size(), outputHeader.size()));
        }
    }

    @Override
    public String end() {
        if (!headerPending) {
            return "";
        }
        headerPending = false;
        try {
            return header(merge ? List.of() : List.of(outputColumn));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        input.close();
    }
}
