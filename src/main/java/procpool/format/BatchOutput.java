package procpool.format;

import java.io.Closeable;
import java.io.IOException;

/**
 * The output of a batch in a record format: turns each chunk's results, handed over in input order, into the text
 * to append to the output. Not thread-safe: the batch's writer serialises calls.
 */
public interface BatchOutput extends Closeable {

    /**
     * The output text of the next chunk.
     *
     * @param results   the chunk's results, one JSON string per line (the chunk format {@code json}); a line
     *                  {@code null} stands for an item that has no result (a failed item an error policy skips):
     *                  nothing is written for its record, which is passed over
     * @param itemCount how many results there are
     * @throws IOException when a result cannot be written in this format (a merge result that is not an object)
     */
    String render(String results, int itemCount) throws IOException;

    /**
     * Continues an output a stop interrupted, whose first part is {@code partialOutput} (its header included): what
     * must be known of it to go on (the columns of a merge output).
     */
    default void continueAfter(java.nio.file.Path partialOutput) throws IOException {
    }

    /** What an output still needs once every chunk is rendered: a CSV header when no record was written. */
    String end();
}
