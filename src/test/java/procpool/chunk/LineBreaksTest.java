package procpool.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Line counts of bytes follow the rule the chunks are cut by (BufferedReader.readLine's), however the bytes come. */
class LineBreaksTest {

    private static final List<String> TEXTS = List.of("", "\n", "a", "a\n", "a\nb", "a\r\nb\r\n", "a\rb\r", "\r\n\r\n",
            "a\r\r\nb", "\n\n\nx", "a\rb\n", "x\u000b\u000cy", "ü€\r\nzwei\rdrei");

    private static long readLineCount(String text) throws Exception {
        try (BufferedReader reader = new BufferedReader(new StringReader(text))) {
            return reader.lines().count();
        }
    }

    @Test
    void countsTheLinesReadLineCutsInOneScan() throws Exception {
        for (String text : TEXTS) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);

            assertThat(new LineBreaks().scan(bytes, 0, bytes.length).lines()).as(shown(text))
                    .isEqualTo(readLineCount(text));
        }
    }

    @Test
    void countsTheSameWhereverTheBytesAreSplitBetweenScans() throws Exception {
        for (String text : TEXTS) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            for (int split = 0; split <= bytes.length; split++) {
                LineBreaks lines = new LineBreaks().scan(bytes, 0, split).scan(bytes, split, split)
                        .scan(bytes, split, bytes.length);

                assertThat(lines.lines()).as("%s split at %d", shown(text), split).isEqualTo(readLineCount(text));
            }
        }
    }

    @Test
    void countsLongTextsOfEveryKindOfLineBreakAsReadLineDoesWhereverTheyAreSplit() throws Exception {
        java.util.Random random = new java.util.Random(15);
        String[] pieces = {"a", "bc", "12345678", "\n", "\r", "\r\n", "ü", "€", "\n\n"};
        for (int text = 0; text < 200; text++) {
            StringBuilder built = new StringBuilder();
            for (int piece = random.nextInt(60); piece > 0; piece--) {
                built.append(pieces[random.nextInt(random.nextBoolean() ? 4 : pieces.length)]);
            }
            String shown = shown(built.toString());
            byte[] bytes = built.toString().getBytes(StandardCharsets.UTF_8);
            long expected = readLineCount(built.toString());
            assertThat(new LineBreaks().scan(bytes, 0, bytes.length).lines()).as(shown).isEqualTo(expected);
            for (int split = 0; split <= bytes.length; split += 1 + random.nextInt(5)) {
                assertThat(new LineBreaks().scan(bytes, 0, split).scan(bytes, split, bytes.length).lines())
                        .as("%s split at %d", shown, split).isEqualTo(expected);
            }
        }
    }

    @Test
    void breaksBeforeAByteNumberItsLine() {
        byte[] bytes = "a\rb\r\nc\nd".getBytes(StandardCharsets.UTF_8);

        assertThat(new LineBreaks().scan(bytes, 0, bytes.length - 1).breaks() + 1).as("line of 'd'").isEqualTo(4);
    }

    private static String shown(String text) {
        return text.replace("\r", "\\r").replace("\n", "\\n");
    }
}
