package procpool.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import procpool.chunk.Chunk;
import procpool.chunk.ChunkReader;
import procpool.protocol.Headers;

/** The hand-off the sender reads a batch through, whether it came from the inbox, a job or a resume. */
class StartedBatchTest {

    @TempDir
    Path dir;

    private static List<Integer> indexes(ChunkReader reader) throws IOException {
        try (reader) {
            List<Integer> indexes = new ArrayList<>();
            while (reader.hasNext()) {
                Chunk chunk = reader.next();
                indexes.add(chunk.index());
            }
            return indexes;
        }
    }

    @Test
    void itsChunksStartAtItsFirstChunk() throws Exception {
        Path input = Files.writeString(dir.resolve("a.txt"), "1\n2\n3\n4\n5\n");
        StartedBatch resumed = new StartedBatch("b1", "square", "a.txt", input, 2, 1, false);

        assertThat(indexes(resumed.chunks())).containsExactly(1, 2);
    }

    @Test
    void itsChunksCanBeReadAgainFromAnyChunk() throws Exception {
        Path input = Files.writeString(dir.resolve("a.txt"), "1\n2\n3\n4\n5\n");
        StartedBatch batch = new StartedBatch("b1", "square", "a.txt", input, 2, 0, false);

        assertThat(indexes(batch.chunksFrom(2))).containsExactly(2);
    }

    @Test
    void itsInputIsNotReadThroughALinkUnlessLinksAreAllowed() throws Exception {
        Path target = Files.writeString(dir.resolve("target.txt"), "1\n");
        Path link = Files.createSymbolicLink(dir.resolve("a.txt"), target);

        assertThatThrownBy(() -> indexes(new StartedBatch("b1", "square", "a.txt", link, 2, 0, false).chunks()))
                .isInstanceOf(IOException.class);
        assertThat(indexes(new StartedBatch("b1", "square", "a.txt", link, 2, 0, true).chunks())).containsExactly(0);
    }

    @Test
    void itCarriesTheHeadersOfItsMessages() {
        StartedBatch batch = new StartedBatch("b1", "square", "a.txt", dir.resolve("a.txt"), 2, 0, false);

        assertThat(batch.headers()).isEqualTo(Map.of(Headers.BATCH_ID, "b1", Headers.TASK, "square",
                Headers.SOURCE, "a.txt"));
    }

    @Test
    void aClaimedBatchTakesItsTaskAndSourceFromWhereItLayInTheInbox() {
        ClaimedBatch claimed = new ClaimedBatch("b1", Path.of("square/a.txt"), dir.resolve("a.txt"), false, null);

        assertThat(claimed.headers()).isEqualTo(Map.of(Headers.BATCH_ID, "b1", Headers.TASK, "square",
                Headers.SOURCE, "a.txt"));
    }
}
