package procpool.format;

import java.io.IOException;
import java.io.Reader;

/**
 * How a batch input is cut into records and how its output is written: {@link CsvFormat} and
 * {@link JsonLinesFormat}. (The {@code lines} format, one item per line, is read and written by the pipeline as it
 * always was: {@code ChunkReader}, {@code OrderedBatchWriter}.)
 */
public interface RecordFormat {

    /** {@code csv} or {@code jsonl}, as in {@code procpool.task.<name>.format}. */
    String name();

    /**
     * The records of an input, from its start.
     *
     * @param text the input decoded (UTF-8, byte order mark dropped: {@link RecordInput})
     * @throws BadRecordException when the input cannot be read as this format at all (a CSV header that is not one)
     */
    RecordReader reader(Reader text) throws IOException;

    /**
     * Writes the output of a batch in input order, reading the input once more beside it (a CSV output carries the
     * input's columns).
     *
     * @param input      the input decoded, from its start
     * @param firstIndex the first record still to be written: 0, or after the records a resumed batch has written
     */
    BatchOutput output(Reader input, long firstIndex) throws IOException;
}
