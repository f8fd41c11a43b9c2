package procpool.format;

import java.io.Closeable;
import java.util.Iterator;

/**
 * Streams the records of a batch input, one at a time, never the file. A record that cannot be read makes
 * {@link #next()} throw a {@link BadRecordException}; a JSON Lines reader goes on with the next line after it, a CSV
 * reader ends there (after malformed quoting, where the next record starts cannot be known).
 */
public interface RecordReader extends Iterator<Record>, Closeable {
}
