package procpool.batch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import procpool.format.RecordPositions;
import procpool.format.RecordSettings;
import procpool.protocol.ItemFailure;

/**
 * The failed items of a batch run under the skip policy: counted against the policy's limits as they arrive, and
 * written to {@code outbox/<file>.errors.jsonl}, one JSON object per failed item, in input order:
 * <pre>{"line":3,"item":"abc","cause":"not an integer: \"abc\"","workerPid":4711,"attempts":1,
 *  "at":"procpool.task.SquareTask.apply(SquareTask.java:21)"}</pre> (on one line).
 * The entries of a chunk are written when its results are, by an {@link OrderedBatchWriter} of their own (hidden
 * {@code .<batch>.errors.part}, every write checked, synced, renamed only whole), and checkpointed with the output:
 * a result is taken once per chunk index, so a chunk redelivered after a worker died, or resent after a coordinator
 * restart, lists its errors once. Called holding the batch's monitor.
 */
final class SkippedItems {

    /** The errors file of output {@code x.txt} is {@code x.txt.errors.jsonl}. */
    static final String SUFFIX = ".errors.jsonl";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ErrorPolicy policy;
    private final long items;
    private final FailedItemOutput output;
    private final ItemPositions positions;
    private final OrderedBatchWriter file;
    /** Failed items of the chunks taken so far (each chunk once). */
    private long received;
    /** Failed items of the chunks written so far: what a checkpoint records. */
    private long written;
    /** Failed items per chunk taken but not yet written (an earlier chunk is missing). */
    private final Map<Integer, Integer> waiting = new HashMap<>();
    /**
     * Chunks taken before an earlier one, whose entries are made once every earlier chunk's are: the places of
     * failed records are then looked up in input order, in one pass over the input.
     */
    private final Map<Integer, TakenChunk> early = new HashMap<>();
    /** The first chunk whose entries are not made yet. */
    private int nextChunk;

    private record TakenChunk(List<ItemFailure> failures, Long workerPid) {
    }

    /** Where the line (and record) number of a failed item come from; the {@code lines} format's by default. */
    @FunctionalInterface
    interface ItemPositions {
        long line(long index);

        /** The record number, for formats whose records may span lines; null: none. */
        default Long record(long index) {
            return null;
        }

        /** Called with the indices of a chunk's failed items before their entries are written, chunk by chunk. */
        default void prepare(List<Long> indices) throws IOException {
        }

        /** The batch is over: what was opened to find places is closed. */
        default void close() {
        }

        ItemPositions LINES = index -> index + 1;

        /**
         * The places of records in a CSV or JSON Lines input (one may span lines, or follow a blank line): looked up
         * in the input, in one pass for chunks taken in order (see {@link RecordPositions}).
         */
        static ItemPositions of(RecordSettings records, Path input, OpenOption... options) {
            if (records.isLines()) {
                return LINES;
            }
            boolean csv = RecordSettings.CSV.equals(records.format());
            RecordPositions places = new RecordPositions(records.recordFormat(), input, options);
            return new ItemPositions() {
                private Map<Long, long[]> known = Map.of();

                @Override
                public void prepare(List<Long> indices) throws IOException {
                    known = places.of(indices);
                }

                @Override
                public void close() {
                    try {
                        places.close();
                    } catch (IOException e) {
                        // only an input being read is closed: nothing was written
                    }
                }

                @Override
                public long line(long index) {
                    long[] place = known.get(index);
                    return place != null ? place[1] : 0;
                }

                @Override
                public Long record(long index) {
                    long[] place = known.get(index);
                    return csv ? (place != null ? place[0] : index + 1) : null;
                }
            };
        }
    }

    SkippedItems(Path directory, String batchId, ErrorPolicy policy, long items) throws IOException {
        this(directory, batchId, policy, items, 0, 0, 0);
    }

    /** Under a record format: failed records are left out of the output, and named by record and line. */
    SkippedItems(Path directory, String batchId, ErrorPolicy policy, long items, RecordSettings records,
                 ItemPositions positions) throws IOException {
        this(directory, batchId, policy, items, 0, 0, 0, records, positions);
    }

    /** Continues the errors file of an interrupted batch after the {@code chunks} chunks its checkpoint records. */
    SkippedItems(Path directory, String batchId, ErrorPolicy policy, long items, int chunks, long bytes,
                 long failedItems) throws IOException {
        this(directory, batchId, policy, items, chunks, bytes, failedItems, RecordSettings.lines(),
                ItemPositions.LINES);
    }

    SkippedItems(Path directory, String batchId, ErrorPolicy policy, long items, int chunks, long bytes,
                 long failedItems, RecordSettings records, ItemPositions positions) throws IOException {
        this.policy = policy;
        this.items = items;
        this.output = records.isLines() ? FailedItemOutput.EMPTY_LINE : FailedItemOutput.JSON_NULL;
        this.positions = positions;
        this.file = new OrderedBatchWriter(directory, batchId + ".errors", chunks, bytes);
        this.received = failedItems;
        this.written = failedItems;
        this.nextChunk = chunks;
    }

    /** The hidden file the entries of batch {@code batchId} are written to before the batch is done. */
    static Path partFile(Path directory, String batchId) {
        return OrderedBatchWriter.partFile(directory, batchId + ".errors");
    }

    ErrorPolicy policy() {
        return policy;
    }

    /** Failed items so far. */
    long count() {
        return received;
    }

    /** The results of a chunk as its output gets them (see {@link FailedItemOutput}). */
    FailedItemOutput.Lines output(String results, int itemCount, long firstItem, List<ItemFailure> failures) {
        return output.of(results, itemCount, firstItem, failures);
    }

    /**
     * Takes the failed items of chunk {@code chunkIndex} (none for a chunk whose items all succeeded: every chunk
     * comes here, so the errors file keeps pace with the output) and writes them once every earlier chunk's are.
     *
     * @return why the batch must now fail (a limit passed), or null
     * @throws IOException when the errors file could not be written (the batch fails: it has a hole)
     */
    String take(int chunkIndex, List<ItemFailure> failures, Long workerPid) throws IOException {
        received += failures.size();
        waiting.put(chunkIndex, failures.size());
        early.put(chunkIndex, new TakenChunk(failures, workerPid));
        for (TakenChunk next = early.remove(nextChunk); next != null; next = early.remove(nextChunk)) {
            writeEntries(nextChunk, next);
            nextChunk++;
        }
        int contiguous = file.contiguousChunks();
        for (Iterator<Map.Entry<Integer, Integer>> it = waiting.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Integer, Integer> chunk = it.next();
            if (chunk.getKey() < contiguous) {
                written += chunk.getValue();
                it.remove();
            }
        }
        return policy.exceeded(received, items);
    }

    private void writeEntries(int chunkIndex, TakenChunk chunk) throws IOException {
        if (!chunk.failures().isEmpty()) {
            positions.prepare(chunk.failures().stream().map(ItemFailure::index).toList());
        }
        String entries = chunk.failures().stream().map(failure -> entry(failure, chunk.workerPid()))
                .collect(Collectors.joining("\n"));
        file.accept(chunkIndex, entries, chunk.failures().size());
    }

    private String entry(ItemFailure failure, Long workerPid) {
        ObjectNode node = JSON.createObjectNode();
        long line = positions.line(failure.index());
        if (line > 0) {
            node.put("line", line);
        } else {
            node.putNull("line");
        }
        Long record = positions.record(failure.index());
        if (record != null) {
            node.put("record", record);
        }
        node.put("item", failure.item());
        node.put("cause", failure.cause());
        long pid = failure.workerPid() != 0 ? failure.workerPid() : workerPid == null ? 0 : workerPid;
        if (pid != 0) {
            node.put("workerPid", pid);
        } else {
            node.putNull("workerPid");
        }
        if (failure.attempts() > 0) {
            node.put("attempts", failure.attempts());
        } else {
            node.putNull("attempts");
        }
        String at = firstFrame(failure.stack());
        if (at != null) {
            node.put("at", at);
        } else {
            node.putNull("at");
        }
        return node.toString();
    }

    /** The first frame of a stack trace as the JDK prints it ({@code \tat a.B.c(B.java:1)}), without {@code at}. */
    static String firstFrame(String stack) {
        for (String line : stack.split("\n")) {
            String stripped = line.strip();
            if (stripped.startsWith("at ")) {
                return stripped.substring(3);
            }
        }
        return null;
    }

    /** Syncs the entries written so far: what the batch's checkpoint records with its output's. */
    Checkpoint checkpoint() throws IOException {
        return new Checkpoint(file.checkpoint().bytes(), written);
    }

    /** What a checkpoint records of the errors file: its bytes and how many failed items they list. */
    record Checkpoint(long bytes, long failedItems) {
    }

    /**
     * Gives the errors file its name, beside {@code output}, synced and renamed whole; or drops it when no item
     * failed.
     *
     * @return the errors file, or null when there is none
     */
    Path commitBeside(Path output) throws IOException {
        if (received == 0) {
            positions.close();
            file.abort();
            return null;
        }
        return commitTo(errorsFileOf(output));
    }

    /** Syncs the entries and renames them to {@code target} (a job's private file, sent by message, then deleted). */
    Path commitTo(Path target) throws IOException {
        positions.close();
        try {
            return file.commitTo(target);
        } catch (IOException e) {
            throw e instanceof WriteFailedException ? e : new WriteFailedException(target, e);
        }
    }

    static Path errorsFileOf(Path output) {
        return output.resolveSibling(output.getFileName() + SUFFIX);
    }

    /** Drops the errors file, written or not (the batch failed, or its output could not be delivered). */
    void abort(Path committed) {
        positions.close();
        try {
            file.abort();
            if (committed != null) {
                Files.deleteIfExists(committed);
            }
        } catch (IOException e) {
            // the batch's failure is what gets reported; a stray errors file beside no output is harmless
        }
    }
}
