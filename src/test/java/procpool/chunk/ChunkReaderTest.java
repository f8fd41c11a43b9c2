package procpool.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkReaderTest {

    @TempDir
    Path dir;

    private List<Chunk> read(String content, int chunkSize) throws Exception {
        Path file = dir.resolve("input.txt");
        Files.writeString(file, content);
        List<Chunk> chunks = new ArrayList<>();
        try (ChunkReader reader = new ChunkReader(file, chunkSize)) {
            reader.forEachRemaining(chunks::add);
        }
        return chunks;
    }

    @Test
    void groupsLinesIntoNumberedChunksAndMarksTheLast() throws Exception {
        assertThat(read("1\n2\n3\n4\n5\n", 2)).containsExactly(
                new Chunk(0, 0, 2, "1\n2", false),
                new Chunk(1, 2, 2, "3\n4", false),
                new Chunk(2, 4, 1, "5", true));
    }

    @Test
    void startsAtALaterChunkToContinueAnInterruptedBatch() throws Exception {
        Path file = dir.resolve("input.txt");
        Files.writeString(file, "1\n2\n3\n4\n5\n");
        List<Chunk> chunks = new ArrayList<>();
        try (ChunkReader reader = new ChunkReader(file, 2, 1)) {
            reader.forEachRemaining(chunks::add);
        }

        assertThat(chunks).containsExactly(new Chunk(1, 2, 2, "3\n4", false), new Chunk(2, 4, 1, "5", true));
    }

    @Test
    void readsALastLineWithoutLineBreakAndDropsCarriageReturns() throws Exception {
        assertThat(read("a\r\nb\r\nc", 10)).containsExactly(new Chunk(0, 0, 3, "a\nb\nc", true));
    }

    @Test
    void keepsEmptyLinesAsItems() throws Exception {
        assertThat(read("a\n\n\nb\n", 10)).containsExactly(new Chunk(0, 0, 4, "a\n\n\nb", true));
    }

    @Test
    void givesAnEmptyFileOneEmptyLastChunk() throws Exception {
        assertThat(read("", 10)).containsExactly(new Chunk(0, 0, 0, "", true));
    }

    @Test
    void namesTheExactLineOfBytesThatAreNotUtf8EvenFarAheadOfTheReader() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int line = 1; line < 3000; line++) {
            bytes.writeBytes((line + "\n").getBytes(StandardCharsets.UTF_8));
        }
        bytes.writeBytes(new byte[] {'x', (byte) 0xC3, (byte) 0x28, '\n'});
        bytes.writeBytes("3001\n".getBytes(StandardCharsets.UTF_8));
        Path file = dir.resolve("latin1.txt");
        Files.write(file, bytes.toByteArray());

        assertThatThrownBy(() -> {
            try (ChunkReader reader = new ChunkReader(file, 100)) {
                reader.forEachRemaining(chunk -> { });
            }
        }).isInstanceOf(InputLineException.class)
                .hasMessage("latin1.txt line 3000: not valid UTF-8 text")
                .extracting(e -> ((InputLineException) e).line()).isEqualTo(3000L);
    }

    @Test
    void cutsChunksAsTheInputsUtf8BytesWithLineBreaksMadeOne() throws Exception {
        List<Chunk> chunks = read("\uFEFFgr\u00fc\u00df\r\n\u20ac\rdrei\n", 2);

        assertThat(chunks).extracting(Chunk::utf8).containsExactly(
                "gr\u00fc\u00df\n\u20ac".getBytes(StandardCharsets.UTF_8), "drei".getBytes(StandardCharsets.UTF_8));
        assertThat(chunks.get(0).text()).isEqualTo("gr\u00fc\u00df\n\u20ac");
    }

    @Test
    void keepsACharacterWholeWhoseBytesTheReadBufferSplits() throws Exception {
        String line = "x".repeat(64 * 1024 - 1) + "\u00e9\u20ac";

        assertThat(read(line + "\nnext\n", 10)).containsExactly(new Chunk(0, 0, 2, line + "\nnext", true));
    }

    @Test
    void namesTheBadLineCountingLoneCarriageReturnsAndCrLfAsTheChunksCutLines() throws Exception {
        Path file = dir.resolve("old-mac.txt");
        Files.write(file, new byte[] {'a', '\r', 'b', '\r', '\n', 'c', '\n', 'x', (byte) 0xff, '\n', 'd', '\n'});

        assertThatThrownBy(() -> {
            try (ChunkReader reader = new ChunkReader(file, 100)) {
                reader.forEachRemaining(chunk -> { });
            }
        }).isInstanceOf(InputLineException.class)
                .hasMessage("old-mac.txt line 4: not valid UTF-8 text");
    }

    @Test
    void namesTheLineOfASequenceSplitAcrossTheScansBuffers() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes("x".repeat(64 * 1024 - 1).getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes(new byte[] {(byte) 0xC3, (byte) 0xA9, '\n', 'o', 'k', '\n', (byte) 0xC3, '\n'});
        Path file = dir.resolve("split.txt");
        Files.write(file, bytes.toByteArray());

        assertThat(ChunkReader.firstLineNotUtf8(file)).isEqualTo(3);
    }

    private List<Chunk> readBytes(byte[] content, int chunkSize) throws Exception {
        Path file = dir.resolve("input.txt");
        Files.write(file, content);
        List<Chunk> chunks = new ArrayList<>();
        try (ChunkReader reader = new ChunkReader(file, chunkSize)) {
            reader.forEachRemaining(chunks::add);
        }
        return chunks;
    }

    private static byte[] withByteOrderMark(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        bytes.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        return bytes.toByteArray();
    }

    @Test
    void aLeadingByteOrderMarkIsDroppedNotPartOfTheFirstItem() throws Exception {
        assertThat(readBytes(withByteOrderMark("1\n2\n"), 10)).containsExactly(new Chunk(0, 0, 2, "1\n2", true));
    }

    @Test
    void aFileOfOnlyAByteOrderMarkIsAnEmptyFile() throws Exception {
        assertThat(readBytes(withByteOrderMark(""), 10)).containsExactly(new Chunk(0, 0, 0, "", true));
    }

    @Test
    void aByteOrderMarkCharacterAfterTheStartIsKept() throws Exception {
        assertThat(read("a\n\uFEFFb\n", 10)).containsExactly(new Chunk(0, 0, 2, "a\n\uFEFFb", true));
    }

    @Test
    void aFileThatGrowsWhileItIsReadFailsAsChanged() throws Exception {
        Path file = dir.resolve("growing.txt");
        Files.writeString(file, "1\n2\n");

        assertThatThrownBy(() -> {
            try (ChunkReader reader = new ChunkReader(file, 1)) {
                reader.next();
                Files.writeString(file, "3\n", StandardOpenOption.APPEND);
                reader.forEachRemaining(chunk -> { });
            }
        }).isInstanceOf(InputChangedException.class)
                .hasMessageStartingWith("input changed while being read: it grew from 4 to 6 bytes");
    }

    @Test
    void aFileRewrittenToTheSameSizeWhileItIsReadFailsAsChanged() throws Exception {
        Path file = dir.resolve("rewritten.txt");
        Files.writeString(file, "1\n2\n");
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() - 60_000));

        assertThatThrownBy(() -> {
            try (ChunkReader reader = new ChunkReader(file, 1)) {
                Files.writeString(file, "7\n8\n");
                reader.forEachRemaining(chunk -> { });
            }
        }).isInstanceOf(InputChangedException.class)
                .hasMessageStartingWith("input changed while being read: it was modified at ");
    }

    /** Reads {@code content} as cut by {@code plan}. */
    private List<Chunk> read(String content, ChunkPlan plan) throws Exception {
        Path file = dir.resolve("input.txt");
        Files.writeString(file, content);
        List<Chunk> chunks = new ArrayList<>();
        try (ChunkReader reader = new ChunkReader(file, plan, 0)) {
            reader.forEachRemaining(chunks::add);
        }
        return chunks;
    }

    /** A plan cutting chunks to a work time, for a broker taking messages of at most {@code maxFrameSize} bytes. */
    private static ChunkPlan adaptive(long items, long maxFrameSize) {
        return ChunkPlan.adaptive(new AdaptiveChunkSizing(200_000_000L, 1, 50_000), items, 100, 0, 0, maxFrameSize);
    }

    @Test
    void aLineLongerThanAQuarterOfTheBrokersFrameLimitFailsNamingItsLine() {
        // a frame limit of 64 bytes: items of at most 16
        assertThatThrownBy(() -> read("1\n2\n" + "7".repeat(17) + "\n3\n", adaptive(4, 64)))
                .isInstanceOf(InputLineException.class)
                .hasMessage("input.txt line 3: the line is longer than 16 bytes, the longest item a chunk message may "
                        + "carry (a quarter of procpool.broker.max-frame-size, leaving room for its results)");
    }

    @Test
    void aLineOfExactlyAQuarterOfTheFrameLimitIsAnItem() throws Exception {
        String longest = "7".repeat(16);

        assertThat(read(longest + "\n", adaptive(1, 64))).containsExactly(new Chunk(0, 0, 1, longest, true));
    }

    @Test
    void anAdaptiveChunkEndsOnceItsItemsHoldAQuarterOfTheFrameLimitAndIsCutTheSameWhenReadAgain() throws Exception {
        ChunkPlan plan = adaptive(1_000, 64); // planned sizes of 100 (the static rule, nothing measured yet)
        String line = "x".repeat(6);
        Path file = dir.resolve("input.txt");
        Files.writeString(file, (line + "\n").repeat(6));

        List<Chunk> chunks = new ArrayList<>();
        try (ChunkReader reader = new ChunkReader(file, plan, 0)) {
            reader.forEachRemaining(chunks::add);
        }

        // 6 + 1 + 6 + 1 + 6 = 20 bytes >= 16 after three lines: every chunk ends there, whatever the plan's size
        String three = line + "\n" + line + "\n" + line;
        assertThat(chunks).containsExactly(new Chunk(0, 0, 3, three, false), new Chunk(1, 3, 3, three, true));
        assertThat(plan.firstItemOf(1)).isEqualTo(3);
        try (ChunkReader again = new ChunkReader(file, plan, 1)) {
            assertThat(again.next()).isEqualTo(new Chunk(1, 3, 3, three, true));
        }
    }

    @Test
    void aChunkOfAFixedSizeHoldingMoreThanHalfTheFrameLimitFailsNamingItsFirstLine() {
        // a frame limit of 64 bytes: chunks of at most 32; the first five lines hold 33 with their line breaks
        String line = "x".repeat(7);

        assertThatThrownBy(() -> read("1\n" + (line + "\n").repeat(5), ChunkPlan.fixed(5, 64)))
                .isInstanceOf(InputLineException.class)
                .hasMessage("input.txt line 1: chunk 0 (from item 1) is more than 32 bytes at item 5, more than half "
                        + "the largest message the broker takes (procpool.broker.max-frame-size): give the batch a "
                        + "smaller chunk size");
    }

    @Test
    void aRecordLongerThanAQuarterOfTheFrameLimitFailsNamingItsLine() {
        Path file = dir.resolve("input.jsonl");

        assertThatThrownBy(() -> {
            Files.writeString(file, "\"a\"\n\"" + "é".repeat(10) + "\"\n");
            try (ChunkReader reader = new ChunkReader(file, ChunkPlan.fixed(10, 64), 0,
                    new procpool.format.JsonLinesFormat())) {
                reader.forEachRemaining(chunk -> { });
            }
        }).isInstanceOf(InputLineException.class).hasMessageStartingWith("input.jsonl line 2: record 2 is longer");
    }
}
