package procpool.worker;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import procpool.chunk.ErrorTexts;
import procpool.chunk.JsonLines;
import procpool.protocol.ItemFailure;
import procpool.task.ChunkTask;

/**
 * Runs a {@link ChunkTask} on a whole chunk for {@link ChunkProcessor}: the items in one call, one result per item
 * back. The chunk's items stand or fall together: when the call fails, the chunk fails with one error naming its
 * lines (first to last) and the cause, on its first line.
 */
final class ChunkTaskRun {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ChunkTaskRun() {
    }

    static void run(ChunkTask task, String[] lines, boolean json, long firstItem, ItemWatchdog.InHand watched,
                    Heartbeat heartbeat, int attempt, int maxAttempts, long pid, ResultLines results,
                    List<ItemFailure> failures) {
        List<String> items = new ArrayList<>(lines.length);
        for (int i = 0; i < lines.length; i++) {
            try {
                items.add(json ? fromJson(lines[i]) : lines[i]);
            } catch (IllegalArgumentException e) {
                failures.add(new ItemFailure(firstItem + i, ErrorTexts.item(lines[i]), e.getMessage(), "", pid));
            }
        }
        if (!failures.isEmpty() || lines.length == 0) {
            return;
        }
        List<String> out;
        heartbeat.itemStarted();
        // the whole run counts as one item against the worker's item time limit
        watched.itemStarted(firstItem, lines[0]);
        try {
            out = task.applyChunk(items);
            if (out == null || out.size() != items.size()) {
                throw new IllegalStateException("task " + task.name() + " returned " + (out == null ? "null"
                        : out.size() + " results") + " for " + items.size() + " items");
            }
            for (String result : out) {
                // a JSON line may encode any text; a plain line may not hold a line break
                if (result == null || !json && (result.indexOf('\n') >= 0 || result.indexOf('\r') >= 0)) {
                    throw new IllegalStateException("task " + task.name() + " returned "
                            + (result == null ? "null" : "a result with a line break") + "; a result must be one line");
                }
            }
        } catch (Exception e) {
            String range = lines.length == 1 ? "line " + (firstItem + 1)
                    : "lines " + (firstItem + 1) + "-" + (firstItem + lines.length);
            if (task.isRetryable(e) && attempt < maxAttempts) {
                throw new ChunkProcessor.RetryChunkException("the chunk of " + range + " failed (attempt " + attempt
                        + " of " + maxAttempts + "), retrying it: " + e, e);
            }
            String message = ErrorTexts.message(e.getMessage(), lines[0]);
            String cause = e instanceof IllegalArgumentException && message != null ? message
                    : e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
            failures.add(new ItemFailure(firstItem, ErrorTexts.item(lines[0]), "the chunk of " + range
                    + " failed as a whole: " + cause, e.getStackTrace().length == 0 ? ""
                    : ChunkProcessor.stackTrace(e, lines[0]), pid));
            return;
        } finally {
            heartbeat.idle();
            watched.itemDone();
        }
        for (String result : out) {
            // checked above: a plain result holds no line break, a JSON line escapes them
            results.add(json ? JsonLines.encode(result) : result);
        }
    }

    /** A JSON string item as the text it holds; a chunk task takes one argument per item. */
    private static String fromJson(String line) {
        String plain = JsonLines.decodePlain(line);
        if (plain != null) {
            return plain;
        }
        JsonNode item;
        try {
            item = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a JSON item: " + e.getOriginalMessage());
        }
        if (item == null || item.isArray() || item.isObject()) {
            throw new IllegalArgumentException("a chunk task takes one text argument per item");
        }
        return item.asText();
    }
}
