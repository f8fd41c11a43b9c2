package procpool.batch;

import java.io.IOException;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;

import procpool.chunk.ChunkPlan;
import procpool.chunk.ChunkReader;
import procpool.format.RecordSettings;

/**
 * A batch that has begun: where its input is, in what chunk size it is read and from which chunk on it is (still)
 * to be sent. The one place a batch's input is opened for sending, first or again (the stall watch's resend).
 *
 * @param firstChunk   the first chunk to send: 0, or after the chunks a resumed batch had already written
 * @param chunkSize    the fixed chunk size, or for an adaptive {@code plan} the size it starts from
 * @param plan         how its chunks are cut (see {@link ChunkPlan})
 * @param throughLinks whether the input may be read through a symbolic link (an inbox file with
 *                     {@code procpool.inbox.follow-symlinks}, or one resumed as it was claimed)
 * @param records      how the input is cut into items (lines, CSV or JSON Lines records)
 */
public record StartedBatch(String batchId, String task, String source, Path input, int chunkSize, int firstChunk,
                           boolean throughLinks, RecordSettings records, ChunkPlan plan) implements BatchHandOff {

    /** A batch of lines in chunks of one fixed size. */
    public StartedBatch(String batchId, String task, String source, Path input, int chunkSize, int firstChunk,
                        boolean throughLinks) {
        this(batchId, task, source, input, chunkSize, firstChunk, throughLinks, RecordSettings.lines());
    }

    /** A batch in chunks of one fixed size. */
    public StartedBatch(String batchId, String task, String source, Path input, int chunkSize, int firstChunk,
                        boolean throughLinks, RecordSettings records) {
        this(batchId, task, source, input, chunkSize, firstChunk, throughLinks, records, ChunkPlan.fixed(chunkSize));
    }

    /** The batch's chunks from {@link #firstChunk()} on. */
    public ChunkReader chunks() throws IOException {
        return chunksFrom(firstChunk);
    }

    /** The batch's chunks from chunk {@code first} on, read anew from its input. */
    public ChunkReader chunksFrom(int first) throws IOException {
        return new ChunkReader(input, plan, first, records.recordFormat(), readOptions(throughLinks));
    }

    /** How to open an input: never through a link unless links are allowed. */
    static OpenOption[] readOptions(boolean throughLinks) {
        return throughLinks ? new OpenOption[0] : new OpenOption[] {LinkOption.NOFOLLOW_LINKS};
    }
}
