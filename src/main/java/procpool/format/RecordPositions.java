package procpool.format;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Finds where records are in a CSV or JSON Lines input (their record number and first line: one may span lines, or
 * follow a blank line) for chunks asked about in input order, reading the input once: the reader stays where the
 * last question left it. A question about an earlier record starts a new pass. Under the skip policy every chunk
 * with failed items asks, so a fresh pass per chunk would read the input once per such chunk.
 */
public final class RecordPositions implements Closeable {

    private final RecordFormat format;
    private final Path file;
    private final OpenOption[] options;
    private RecordReader reader;
    /** The index of the record the reader gives next. */
    private long next;
    private int passes;

    public RecordPositions(RecordFormat format, Path file, OpenOption... options) {
        this.format = format;
        this.file = file;
        this.options = options.clone();
    }

    /**
     * The record number and first line ({@code {number, line}}) of each record at {@code indices}. A record that
     * cannot be read is left out (it was refused at the batch's start anyway).
     */
    public Map<Long, long[]> of(Collection<Long> indices) throws IOException {
        TreeSet<Long> wanted = new TreeSet<>(indices);
        Map<Long, long[]> places = new HashMap<>();
        if (wanted.isEmpty()) {
            return places;
        }
        if (reader == null || wanted.first() < next) {
            close();
            reader = format.reader(RecordInput.open(file, options));
            next = 0;
            passes++;
        }
        while (next <= wanted.last() && reader.hasNext()) {
            try {
                Record record = reader.next();
                if (wanted.contains(record.index())) {
                    places.put(record.index(), new long[] {record.number(), record.line()});
                }
            } catch (BadRecordException e) {
                // left out: see above
            }
            next++;
        }
        return places;
    }

    /** How many times the input was opened: once for questions asked in input order. */
    int passes() {
        return passes;
    }

    @Override
    public void close() throws IOException {
        if (reader != null) {
            RecordReader open = reader;
            reader = null;
            open.close();
        }
    }
}
