package procpool.batch;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import procpool.chunk.ErrorTexts;
import procpool.chunk.JsonLines;
import procpool.format.RecordSettings;
import procpool.format.RecordFiles;
import procpool.protocol.ItemFailure;

/**
 * Where failed items are in their input, as people find them: {@code line N} in a batch of lines (the item's index
 * + 1), {@code record 4 (line 6)} in a CSV batch and {@code line 6} in JSON Lines, whose records do not sit one per
 * line. For records, the input is read again up to the last failed one (failures are the rare path).
 */
final class FailurePlaces {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Null for a batch of lines. */
    private final RecordSettings records;
    private final Map<Long, String> places;

    private FailurePlaces(RecordSettings records, Map<Long, String> places) {
        this.records = records;
        this.places = places;
    }

    static FailurePlaces of(Batch batch, List<ItemFailure> failures) {
        if (batch.records.isLines()) {
            return new FailurePlaces(null, Map.of());
        }
        try {
            return new FailurePlaces(batch.records, RecordFiles.where(batch.records.recordFormat(), batch.claimedInput,
                    failures.stream().map(ItemFailure::index).toList(), StartedBatch.readOptions(batch.throughLinks)));
        } catch (IOException | RuntimeException e) {
            return new FailurePlaces(batch.records, Map.of()); // the item's index still says which one it is
        }
    }

    /**
     * {@code <where>: item "…": cause}, as {@link ItemFailure#text()} with the record's place, and the item as the
     * task got it (a record's item travels as a JSON string).
     */
    String text(ItemFailure failure) {
        if (records == null) {
            return failure.text();
        }
        String place = places.getOrDefault(failure.index(), "record " + (failure.index() + 1));
        return ErrorTexts.cut(place + ": item \"" + asTaskSawIt(failure.item()) + "\": " + failure.cause(),
                ErrorTexts.MAX_LINE);
    }

    /** A JSON string decoded; an item cut short (no longer JSON) as it is. */
    private static String asTaskSawIt(String item) {
        String plain = JsonLines.decodePlain(item);
        if (plain != null) {
            return plain;
        }
        try {
            JsonNode node = JSON.readTree(item);
            return node != null && node.isTextual() ? node.textValue() : item;
        } catch (IOException e) {
            return item;
        }
    }
}
