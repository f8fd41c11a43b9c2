package procpool.coordinator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import procpool.batch.BatchEvents;
import procpool.batch.BatchView;

/**
 * The last {@code procpool.history.size} finished batches, kept on disk across restarts as JSON lines in
 * {@code <procpool.broker.data-dir>/history.jsonl} (a folder only this user may enter): each batch is appended as it
 * ends; the file is rewritten with only the kept ones when it holds twice as many. A line that cannot be read is
 * skipped with a warning naming the file and line; a failed write is logged, never fails a batch.
 */
final class BatchHistory implements BatchEvents {

    private static final Logger LOG = LoggerFactory.getLogger(Coordinator.class);
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /**
     * One finished batch.
     *
     * @param outcome {@code done}, {@code failed} or {@code cancelled}
     * @param output  its output or {@code .error} file, null when answered by message
     */
    record Entry(String id, String source, String task, String outcome, long items, long itemsDone, long itemsFailed,
                 double seconds, long itemsPerSecond, List<Long> workerPids, String output, String finished) {

        static Entry of(BatchView batch, Instant finished) {
            return new Entry(batch.id(), batch.source(), batch.task(), batch.phase().toLowerCase(), batch.items(),
                    batch.itemsDone(), batch.itemsFailed(), batch.seconds(), batch.itemsPerSecond(),
                    batch.workerPids(), batch.output(), finished.toString());
        }

        String line() {
            return finished + "  " + id + "  " + outcome + "  " + source + "  " + itemsDone + "/" + items + " items, "
                    + itemsFailed + " failed, " + seconds + " s, " + itemsPerSecond + " items/s, workers " + workerPids
                    + (output == null ? "  answered by message" : "  -> " + output);
        }
    }

    private final Path file;
    private final int size;
    private final Deque<Entry> entries = new ArrayDeque<>();
    private int linesOnDisk;

    private BatchHistory(Path file, int size) {
        this.file = file;
        this.size = size;
    }

    /** The history kept in {@code file} (none yet if it does not exist); {@code size} 0 keeps none. */
    static BatchHistory load(Path file, int size) {
        if (size < 0) {
            throw new IllegalArgumentException("procpool.history.size must be 0 or more, was " + size);
        }
        BatchHistory history = new BatchHistory(file, size);
        if (size > 0 && Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            history.read();
        }
        return history;
    }

    private void read() {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            LOG.warn("batch history {} is not a regular file: not read, and not written", file);
            return;
        }
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).isBlank()) {
                    continue;
                }
                try {
                    keep(JSON.readValue(lines.get(i), Entry.class));
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    LOG.warn("batch history {} line {}: not a history entry ({}); skipped", file, i + 1,
                            e.getOriginalMessage());
                }
            }
            linesOnDisk = lines.size();
        } catch (IOException e) {
            LOG.warn("cannot read the batch history {}: {}; it starts empty", file, e.toString());
        }
    }

    private void keep(Entry entry) {
        entries.addLast(entry);
        while (entries.size() > size) {
            entries.removeFirst();
        }
    }

    /** The kept batches, the most recent first. */
    synchronized List<Entry> newestFirst() {
        List<Entry> list = new ArrayList<>(entries);
        Collections.reverse(list);
        return list;
    }

    @Override
    public synchronized void batchEnded(BatchView batch) {
        if (size == 0) {
            return;
        }
        Entry entry = Entry.of(batch, Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        keep(entry);
        try {
            if (linesOnDisk + 1 > 2 * size) {
                rewrite();
            } else {
                Files.writeString(file, JSON.writeValueAsString(entry) + "\n", StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE,
                        LinkOption.NOFOLLOW_LINKS);
                linesOnDisk++;
            }
        } catch (IOException e) {
            LOG.warn("cannot record batch {} in the history {}: {}", batch.id(), file, e.toString());
        }
    }

    /** Writes only the kept entries, through a new file renamed over the old one in one step. */
    private void rewrite() throws IOException {
        StringBuilder text = new StringBuilder();
        for (Entry kept : entries) {
            text.append(JSON.writeValueAsString(kept)).append('\n');
        }
        Path temporary = file.resolveSibling(file.getFileName() + ".new");
        Files.deleteIfExists(temporary);
        Files.writeString(temporary, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        linesOnDisk = entries.size();
    }

    /** As JSON, the most recent first. */
    String json() {
        return StatusDocument.json(newestFirst());
    }

    /** One line per batch, the most recent first. */
    String text() {
        List<Entry> list = newestFirst();
        StringBuilder text = new StringBuilder("finished batches: ").append(list.size()).append('\n');
        list.forEach(entry -> text.append(entry.line()).append('\n'));
        return text.toString();
    }
}
