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

    /** The lines of {@code text} as runs of at most {@code max} lines cut them, each run split at its '\n's. */
    private static List<String> scannedInRuns(String text, int bufferSize, int max) throws Exception {
        List<String> lines = new ArrayList<>();
        try (LineScanner scanner = new LineScanner(bytes(text), bufferSize)) {
            while (scanner.hasLine()) {
                ByteText run = new ByteText(1);
                int count = Math.abs(scanner.appendLines(run, max, Long.MAX_VALUE));
                String[] runLines = new String(run.toByteArray(), StandardCharsets.UTF_8).split("\n", -1);
                assertThat(count).isBetween(1, max).isEqualTo(runLines.length);
                lines.addAll(List.of(runLines));
            }
        }
        return lines;
    }

    @Test
    void cutsRunsOfLinesAsReadLineDoesAtEveryBufferSizeAndRunLength() throws Exception {
        List<String> texts = List.of("", "\n", "a", "a\n", "a\nb", "a\r\nb\r\n", "a\rb\r", "\r\n\r\n", "a\r\r\nb",
                "\n\n\nx", "long line of text\r\nnext\rlast", "ü€😀\nzwei\r\ndrei",
                "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n",
                "1\n2\r\n3\n4\r5\n\n6");
        for (String text : texts) {
            for (int size : new int[] {1, 2, 3, 7, 64 * 1024}) {
                for (int max : new int[] {1, 2, 3, 100}) {
                    assertThat(scannedInRuns(text, size, max)).as("%s in a buffer of %d, runs of %d",
                            text.replace("\r", "\\r").replace("\n", "\\n"), size, max).isEqualTo(readLines(text));
                }
            }
        }
    }

    @Test
    void aRunOfLinesSaysWhetherOneOfItsLinesHeldAByteThatIsNotAscii() throws Exception {
        try (LineScanner scanner = new LineScanner(bytes("a\nb\nü\nc\nd\n" + "e\nf\nü"), 64 * 1024)) {
            scanner.hasLine();
            assertThat(scanner.appendLines(new ByteText(1), 2, Long.MAX_VALUE)).isEqualTo(2);
            scanner.hasLine();
            assertThat(scanner.appendLines(new ByteText(1), 3, Long.MAX_VALUE)).isEqualTo(-3);
            scanner.hasLine();
            // the last line has no line break: not part of the run, taken alone after it
            assertThat(scanner.appendLines(new ByteText(1), 100, Long.MAX_VALUE)).isEqualTo(2);
            scanner.hasLine();
            assertThat(scanner.appendLines(new ByteText(1), 100, Long.MAX_VALUE)).isEqualTo(-1);
            assertThat(scanner.hasLine()).isFalse();
        }
    }

    @Test
    void aRunEndsWithTheLineThatBringsItsTextToTheMostBytes() throws Exception {
        try (LineScanner scanner = new LineScanner(bytes("aa\nbb\ncc\ndd\n"), 64 * 1024)) {
            scanner.hasLine();
            ByteText text = new ByteText(1);
            // "aa\nbb" is 5 bytes: the run ends there, as line by line the chunk would be looked at there
            assertThat(scanner.appendLines(text, 100, 4)).isEqualTo(2);
            assertThat(new String(text.toByteArray(), StandardCharsets.UTF_8)).isEqualTo("aa\nbb");
        }
    }

    @Test
    void aLineLongerThanTheMostBytesEndsTheRunBeforeItAndFailsAlone() throws Exception {
        try (LineScanner scanner = new LineScanner(bytes("a\nlong line\nb\n"), 64 * 1024)) {
            scanner.hasLine();
            assertThat(scanner.appendLines(new ByteText(1), 100, 4)).isEqualTo(1);
            scanner.hasLine();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> scanner.appendLines(new ByteText(1), 100, 4))
                    .isInstanceOf(LineScanner.LineTooLongException.class);
        }
    }

    private static InputStream bytes(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
