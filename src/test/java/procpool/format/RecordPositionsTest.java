package procpool.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordPositionsTest {

    /** Record i (from 0) is on line i + 2 (after the header), except that record 2 spans two lines. */
    private static final String CSV = "text\na\nb\n\"c1\nc2\"\nd\ne\nf\n";

    @TempDir
    Path folder;

    @Test
    void aRecordIsPlacedByItsNumberAndFirstLine() throws Exception {
        try (RecordPositions positions = positions()) {
            Map<Long, long[]> places = positions.of(List.of(1L, 3L));
            assertThat(places.get(1L)).containsExactly(2, 3);
            assertThat(places.get(3L)).containsExactly(4, 6);
        }
    }

    @Test
    void questionsAskedInInputOrderReadTheInputOnce() throws Exception {
        try (RecordPositions positions = positions()) {
            assertThat(positions.of(List.of(0L)).get(0L)).containsExactly(1, 2);
            assertThat(positions.of(List.of(2L)).get(2L)).containsExactly(3, 4);
            assertThat(positions.of(List.of(3L, 5L)).get(5L)).containsExactly(6, 8);
            assertThat(positions.passes()).isEqualTo(1);
        }
    }

    @Test
    void aQuestionAboutAnEarlierRecordStartsANewPass() throws Exception {
        try (RecordPositions positions = positions()) {
            positions.of(List.of(4L));
            assertThat(positions.of(List.of(1L)).get(1L)).containsExactly(2, 3);
            assertThat(positions.passes()).isEqualTo(2);
        }
    }

    @Test
    void noIndicesOpenNothing() throws Exception {
        try (RecordPositions positions = positions()) {
            assertThat(positions.of(List.of())).isEmpty();
            assertThat(positions.passes()).isZero();
        }
    }

    private RecordPositions positions() throws Exception {
        Path input = Files.writeString(folder.resolve("in.csv"), CSV);
        return new RecordPositions(new CsvFormat("text", "out", false), input);
    }
}
