package procpool.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesFormatTest {

    @TempDir
    Path dir;

    @Test
    void eachNonBlankLineIsOneRecordWhoseItemIsItsJsonText() {
        JsonLinesReader reader = new JsonLinesFormat().reader(new StringReader("{\"a\": 1}\n\n  \n[1,2]\r\n\"s\"\n"));

        List<Record> records = new java.util.ArrayList<>();
        reader.forEachRemaining(records::add);

        assertThat(records).extracting(Record::item).containsExactly("{\"a\": 1}", "[1,2]", "\"s\"");
        assertThat(records).extracting(Record::line).containsExactly(1L, 4L, 5L);
        assertThat(records).extracting(Record::index).containsExactly(0L, 1L, 2L);
    }

    @Test
    void aLineThatIsNotJsonIsABadRecordNamedByItsLineAndTheParsersMessage() {
        JsonLinesReader reader = new JsonLinesFormat().reader(new StringReader("1\n\n{oops\n3\n"));

        assertThat(reader.next().item()).isEqualTo("1");
        assertThatThrownBy(reader::next).isInstanceOf(BadRecordException.class)
                .hasMessageStartingWith("line 3: not JSON: Unexpected character ('o'");
        assertThat(reader.next().item()).as("reading goes on after a bad line").isEqualTo("3");
    }

    @Test
    void twoValuesOnOneLineAreABadRecord() {
        assertThatThrownBy(() -> new JsonLinesFormat().reader(new StringReader("1 2\n")).next())
                .isInstanceOf(BadRecordException.class)
                .hasMessageStartingWith("line 1: not JSON: more than one JSON value on the line");
    }

    @Test
    void countingNamesEveryBadLineAndCountsItAsARecord() throws IOException {
        Path file = dir.resolve("in.jsonl");
        Files.writeString(file, "1\nx\n2\ny\n");

        RecordFiles.Count count = RecordFiles.count(new JsonLinesFormat(), file);

        assertThat(count.records()).isEqualTo(4);
        assertThat(count.badTotal()).isEqualTo(2);
        assertThat(count.bad()).extracting(BadRecordException::where).containsExactly("line 2", "line 4");
    }

    @Test
    void resultsThatAreJsonAreWrittenAsTheyAreOthersAsJsonStrings() throws IOException {
        Path file = dir.resolve("in.jsonl");
        Files.writeString(file, "1\n2\n3\n4\n");
        try (BatchOutput output = new JsonLinesFormat().output(RecordInput.open(file), 0)) {
            String results = String.join("\n", procpool.chunk.JsonLines.encode("9"),
                    procpool.chunk.JsonLines.encode("{\"a\":1}"), procpool.chunk.JsonLines.encode("not json"),
                    procpool.chunk.JsonLines.encode("{\n  \"b\": [1,\n 2]\n}"));

            assertThat(output.render(results, 4) + output.end())
                    .isEqualTo("9\n{\"a\":1}\n\"not json\"\n{\"b\":[1,2]}\n");
        }
    }

    @Test
    void theOutputEndsItsLinesAsTheInputDoes() throws IOException {
        Path file = dir.resolve("in.jsonl");
        Files.writeString(file, "1\r\n2\r\n");
        try (BatchOutput output = new JsonLinesFormat().output(RecordInput.open(file), 0)) {
            assertThat(output.render("\"1\"\n\"4\"", 2)).isEqualTo("1\r\n4\r\n");
        }
    }
}
