package procpool;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** The project's layout rules for its own sources, checked where a reviewer would miss them. */
class SourceLinesTest {

    private static final int MAX_COLUMNS = 120;

    @Test
    void noLineOfTheMainSourcesIsLongerThan120Columns() throws IOException {
        List<String> tooLong;
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            tooLong = files.filter(file -> file.toString().endsWith(".java")).sorted()
                    .flatMap(SourceLinesTest::linesTooLong).toList();
        }

        assertThat(tooLong).as("lines over %d columns", MAX_COLUMNS).isEmpty();
    }

    private static Stream<String> linesTooLong(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return IntStream.range(0, lines.size()).filter(i -> lines.get(i).length() > MAX_COLUMNS)
                    .mapToObj(i -> file + ":" + (i + 1) + " (" + lines.get(i).length() + " columns)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
