package procpool.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The line scanner cuts lines from UTF-8 bytes as BufferedReader.readLine does, whatever its buffer size. */
class LineScannerTest {

    private static List<String> scanned(String text, int bufferSize) throws Exception {
        List<String> lines = new ArrayList<>();
        try (LineScanner scanner = new LineScanner(bytes(text), bufferSize)) {
            while (scanner.hasLine()) {
                ByteText line = new ByteText(1);
                scanner.appendLine(line);
                lines.add(new String(line.toByteArray(), StandardCharsets.UTF_8));
            }
        }
        return lines;
    }

    private static List<String> readLines(String text) throws Exception {
        List<String> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new StringReader(text))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(line);
            }
        }
        return lines;
    }

    @Test
    void cutsLinesAsReadLineDoesAtEveryBufferSize() throws Exception {
        List<String> texts = List.of("", "\n", "a", "a\n", "a\nb", "a\r\nb\r\n", "a\rb\r", "\r\n\r\n", "a\r\r\nb",
                "\n\n\nx", "long line of text\r\nnext\rlast", "ü€😀\nzwei\r\ndrei");
        for (String text : texts) {
            for (int size : new int[] {1, 2, 3, 7, 64 * 1024}) {
                assertThat(scanned(text, size)).as("%s in a buffer of %d", text.replace("\r", "\\r")
                        .replace("\n", "\\n"), size).isEqualTo(readLines(text));
            }
        }
    }

    @Test
    void skippingALinePassesOverItsLineBreakToo() throws Exception {
        try (LineScanner scanner = new LineScanner(bytes("one\r\ntwo\nthree"), 2)) {
            assertThat(scanner.hasLine()).isTrue();
            scanner.skipLine();
            assertThat(scanner.hasLine()).isTrue();
            ByteText second = new ByteText(1);
            scanner.appendLine(second);
            assertThat(new String(second.toByteArray(), StandardCharsets.UTF_8)).isEqualTo("two");
        }
    }

    @Test
    void saysWhichLinesHoldBytesThatAreNotAscii() throws Exception {
        try (LineScanner scanner = new LineScanner(bytes("plain\nü\r\nplain again"), 3)) {
            List<Boolean> notAscii = new ArrayList<>();
            while (scanner.hasLine()) {
                notAscii.add(scanner.appendLine(new ByteText(1)));
            }

            assertThat(notAscii).containsExactly(false, true, false);
        }
    }

    private static InputStream bytes(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
