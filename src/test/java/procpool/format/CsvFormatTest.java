package procpool.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import procpool.chunk.JsonLines;

class CsvFormatTest {

    private static final String TRICKY = "id,text,n\r\n"
            + "1,\"a, b\",3\r\n"
            + "2,\"say \"\"hi\"\"\",4\r\n"
            + "3,\"two\r\nlines\",5\r\n"
            + "4,plain,6\r\n";

    @TempDir
    Path dir;

    private static List<Record> records(CsvFormat format, String text) throws IOException {
        List<Record> records = new ArrayList<>();
        try (RecordReader reader = format.reader(new StringReader(text))) {
            reader.forEachRemaining(records::add);
        }
        return records;
    }

    @Test
    void quotedCommasQuotesAndLineBreaksAreEachOneRecord() throws IOException {
        List<Record> records = records(new CsvFormat("text", "out", false), TRICKY);

        assertThat(records).extracting(Record::item).containsExactly("a, b", "say \"hi\"", "two\r\nlines", "plain");
    }

    @Test
    void recordsKnowTheirNumberAndTheLineTheyStartOn() throws IOException {
        List<Record> records = records(new CsvFormat("text", "out", false), TRICKY);

        assertThat(records).extracting(Record::number).containsExactly(1L, 2L, 3L, 4L);
        assertThat(records).extracting(Record::line).containsExactly(2L, 3L, 4L, 6L);
        assertThat(records).extracting(Record::index).containsExactly(0L, 1L, 2L, 3L);
    }

    @Test
    void aRecordKeepsItsRawTextWithoutItsLineBreak() throws IOException {
        List<Record> records = records(new CsvFormat("text", "out", false), TRICKY);

        assertThat(records).extracting(Record::raw)
                .containsExactly("1,\"a, b\",3", "2,\"say \"\"hi\"\"\",4", "3,\"two\r\nlines\",5", "4,plain,6");
    }

    @Test
    void withoutAnInputColumnTheItemIsTheRecordAsAJsonObjectInHeaderOrder() throws IOException {
        List<Record> records = records(new CsvFormat(null, "out", false), TRICKY);

        assertThat(records.get(1).item()).isEqualTo("{\"id\":\"2\",\"text\":\"say \\\"hi\\\"\",\"n\":\"4\"}");
    }

    @Test
    void blankLinesAreNoRecordsButCountAsLines() throws IOException {
        List<Record> records = records(new CsvFormat("a", "out", false), "a,b\n1,2\n\n3,4\n");

        assertThat(records).extracting(Record::item).containsExactly("1", "3");
        assertThat(records).extracting(Record::line).containsExactly(2L, 4L);
    }

    @Test
    void malformedQuotingFailsNamingTheRecordAndItsLine() {
        String text = "a,b\n1,2\n3,\"open\nstill open,4\n";

        assertThatThrownBy(() -> records(new CsvFormat("a", "out", false), text))
                .isInstanceOf(BadRecordException.class)
                .hasMessageStartingWith("record 2 (line 3): malformed CSV: ")
                .extracting(e -> ((BadRecordException) e).line()).isEqualTo(3L);
    }

    @Test
    void aRecordWithMoreOrFewerFieldsThanTheHeaderIsBad() {
        assertThatThrownBy(() -> records(new CsvFormat("a", "out", false), "a,b\n1,2\n3\n"))
                .isInstanceOf(BadRecordException.class)
                .hasMessage("record 2 (line 3): 1 field(s), the header has 2 (a, b)");
    }

    @Test
    void anInputColumnThatIsNotInTheHeaderIsRefusedAtTheHeader() {
        assertThatThrownBy(() -> records(new CsvFormat("x", "out", false), "a,b\n1,2\n"))
                .isInstanceOf(BadRecordException.class)
                .hasMessage("header (line 1): no column 'x' for the item (input-column); the columns are a, b");
    }

    @Test
    void aResultColumnThatIsAlreadyAnInputColumnIsRefused() {
        assertThatThrownBy(() -> records(new CsvFormat("a", "b", false), "a,b\n1,2\n"))
                .isInstanceOf(BadRecordException.class)
                .hasMessageContaining("the result column 'b' is already an input column");
    }

    @Test
    void duplicateHeaderNamesAreRefused() {
        assertThatThrownBy(() -> records(new CsvFormat(null, "out", false), "a,a\n1,2\n"))
                .isInstanceOf(BadRecordException.class)
                .hasMessageStartingWith("header (line 1): not a CSV header");
    }

    private String output(CsvFormat format, String input, List<String> results) throws IOException {
        Path file = dir.resolve("in.csv");
        Files.write(file, input.getBytes(StandardCharsets.UTF_8));
        try (BatchOutput output = format.output(RecordInput.open(file), 0)) {
            StringBuilder text = new StringBuilder();
            if (!results.isEmpty()) {
                text.append(output.render(String.join("\n", results.stream().map(JsonLines::encode).toList()),
                        results.size()));
            }
            return text.append(output.end()).toString();
        }
    }

    @Test
    void theOutputIsTheInputRecordsAsWrittenPlusTheResultColumnWithTheInputsLineBreaks() throws IOException {
        String out = output(new CsvFormat("n", "square", false), TRICKY, List.of("9", "16", "25", "36"));

        assertThat(out).isEqualTo("id,text,n,square\r\n"
                + "1,\"a, b\",3,9\r\n"
                + "2,\"say \"\"hi\"\"\",4,16\r\n"
                + "3,\"two\r\nlines\",5,25\r\n"
                + "4,plain,6,36\r\n");
    }

    @Test
    void aByteOrderMarkIsDroppedFromTheInputAndTheHeader() throws IOException {
        String out = output(new CsvFormat("a", "r", false), "\uFEFFa,b\n1,2\n", List.of("x"));

        assertThat(out).isEqualTo("a,b,r\n1,2,x\n");
    }

    @Test
    void resultsWithCommasQuotesAndLineBreaksReadBackAsTheyWere() throws IOException {
        List<String> results = List.of("a,b", "say \"hi\"", "two\nlines", " lead");
        String out = output(new CsvFormat("n", "r", false), TRICKY, results);

        try (CSVParser parser = CsvFormat.READ.parse(new StringReader(out))) {
            List<CSVRecord> read = parser.getRecords();
            assertThat(read).extracting(r -> r.get("r")).containsExactlyElementsOf(results);
            assertThat(read).extracting(r -> r.get("text")).containsExactly("a, b", "say \"hi\"", "two\r\nlines", "plain");
        }
    }

    @Test
    void aLastRecordWithoutALineBreakGetsOneInTheOutput() throws IOException {
        assertThat(output(new CsvFormat("a", "r", false), "a,b\n1,2", List.of("x"))).isEqualTo("a,b,r\n1,2,x\n");
    }

    @Test
    void anEmptyFileIsABadCsvInputForItHasNoHeader() {
        assertThatThrownBy(() -> records(new CsvFormat(null, "out", false), ""))
                .isInstanceOf(BadRecordException.class)
                .hasMessage("header (line 1): the file is empty: a CSV batch starts with a header row");
    }

    @Test
    void aResultFieldIsQuotedExactlyAsCommonsCsvQuotesIt() throws IOException {
        for (String value : List.of("9", "-5", "plain text", "", " lead", "trail ", "tab\t", "#hash", "!bang", "a,b",
                "say \"hi\"", "two\nlines", "cr\r", "é", "$dollar")) {
            StringBuilder printed = new StringBuilder();
            try (org.apache.commons.csv.CSVPrinter printer = new org.apache.commons.csv.CSVPrinter(printed,
                    org.apache.commons.csv.CSVFormat.RFC4180.builder().setRecordSeparator("").get())) {
                printer.print("x");
                printer.print(value);
            }
            assertThat(CsvOutput.field(value)).as(value).isEqualTo(printed.substring(2));
        }
    }

    @Test
    void aHeaderOnlyInputGivesAHeaderOnlyOutput() throws IOException {
        assertThat(output(new CsvFormat("a", "r", false), "a,b\r\n", List.of())).isEqualTo("a,b,r\r\n");
    }

    @Test
    void mergeMakesTheFieldsOfAJsonObjectResultColumns() throws IOException {
        String out = output(new CsvFormat(null, "r", true), "a,b\n1,2\n3,4\n",
                List.of("{\"sum\":3,\"note\":\"x, y\"}", "{\"sum\":7}"));

        assertThat(out).isEqualTo("a,b,sum,note\n1,2,3,\"x, y\"\n3,4,7,\n");
    }

    @Test
    void mergeRefusesAResultThatIsNotAJsonObject() {
        assertThatThrownBy(() -> output(new CsvFormat(null, "r", true), "a,b\n1,2\n", List.of("7")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("record 1 (line 2): the result is not a JSON object");
    }

    @Test
    void aResumedOutputSkipsTheRecordsAlreadyWrittenAndWritesNoSecondHeader() throws IOException {
        Path file = dir.resolve("in.csv");
        Files.writeString(file, TRICKY);
        try (BatchOutput output = new CsvFormat("n", "square", false).output(RecordInput.open(file), 2)) {
            assertThat(output.render("\"25\"\n\"36\"", 2) + output.end())
                    .isEqualTo("3,\"two\r\nlines\",5,25\r\n4,plain,6,36\r\n");
        }
    }

    @Test
    void aResumedMergeOutputTakesItsColumnsFromTheHeaderAlreadyWritten() throws IOException {
        Path file = Files.writeString(dir.resolve("in.csv"), "a,b\n1,2\n3,4\n");
        Path partial = Files.writeString(dir.resolve(".part"), "a,b,sum,note\n1,2,3,x\n");
        try (BatchOutput output = new CsvFormat(null, "r", true).output(RecordInput.open(file), 1)) {
            output.continueAfter(partial);

            assertThat(output.render(JsonLines.encode("{\"note\":\"y\",\"sum\":7}"), 1) + output.end())
                    .isEqualTo("3,4,7,y\n");
        }
    }

    @Test
    void anItemWithoutAResultLeavesItsRecordOutAndTheRestInPlace() throws IOException {
        Path file = Files.writeString(dir.resolve("in.csv"), TRICKY);
        try (BatchOutput output = new CsvFormat("n", "square", false).output(RecordInput.open(file), 0)) {
            assertThat(output.render("\"9\"\nnull\n\"25\"\n\"36\"", 4) + output.end()).isEqualTo("id,text,n,square\r\n"
                    + "1,\"a, b\",3,9\r\n"
                    + "3,\"two\r\nlines\",5,25\r\n"
                    + "4,plain,6,36\r\n");
        }
    }

    @Test
    void countsRecordsAndFindsWhereTheyAre() throws IOException {
        Path file = dir.resolve("in.csv");
        Files.writeString(file, TRICKY);
        CsvFormat format = new CsvFormat("n", "r", false);

        assertThat(RecordFiles.count(format, file).records()).isEqualTo(4);
        assertThat(RecordFiles.where(format, file, List.of(3L, 2L)))
                .containsEntry(2L, "record 3 (line 4)").containsEntry(3L, "record 4 (line 6)");
    }
}
