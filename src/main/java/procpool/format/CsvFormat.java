package procpool.format;

import java.io.IOException;
import java.io.Reader;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.DuplicateHeaderMode;

/**
 * CSV batches, RFC 4180 with a header row, read by Apache Commons CSV: a quoted field may hold commas, quotes and
 * line breaks and is still one record. The item is the record as a JSON object (header name to value, in header
 * order) or the value of {@code inputColumn}. The output is the input's records as they were written (same quoting,
 * same line breaks inside fields) with the result appended as one more column, under a header that is the input's
 * own plus that column; records end with the input's line break ({@code \r\n} or {@code \n}).
 */
public final class CsvFormat implements RecordFormat {

    /** RFC 4180, header row required, names unique and not empty, blank lines no records. */
    static final CSVFormat READ = CSVFormat.RFC4180.builder()
            .setHeader()
            .setSkipHeaderRecord(true)
            .setIgnoreEmptyLines(true)
            .setDuplicateHeaderMode(DuplicateHeaderMode.DISALLOW)
            .setAllowMissingColumnNames(false)
            .get();

    private final String inputColumn;
    private final String outputColumn;
    private final boolean merge;

    /**
     * @param inputColumn  the column whose value is the item, or null for the whole record as a JSON object
     * @param outputColumn the name of the result column
     * @param merge        a JSON object result gives one column per field instead
     */
    public CsvFormat(String inputColumn, String outputColumn, boolean merge) {
        this.inputColumn = inputColumn;
        this.outputColumn = outputColumn;
        this.merge = merge;
    }

    @Override
    public String name() {
        return RecordSettings.CSV;
    }

    @Override
    public CsvRecordReader reader(Reader text) throws IOException {
        return new CsvRecordReader(text, inputColumn, merge ? null : outputColumn);
    }

    @Override
    public BatchOutput output(Reader input, long firstIndex) throws IOException {
        CsvRecordReader records = reader(input);
        try {
            for (long i = 0; i < firstIndex && records.hasNext(); i++) {
                records.next();
            }
            return new CsvOutput(records, outputColumn, merge, firstIndex == 0);
        } catch (RuntimeException e) {
            records.close();
            throw e;
        }
    }
}
