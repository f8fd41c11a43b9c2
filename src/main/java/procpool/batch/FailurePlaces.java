package procpool.batch;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import procpool.chunk.ErrorTexts;
import procpool.format.RecordFiles;
import procpool.protocol.ItemFailure;

/**
 * Where failed items are in their input, as people find them: {@code line N} in a batch of lines (the item's index
 * + 1), {@code record 4 (line 6)} in a CSV batch and {@code line 6} in JSON Lines, whose records do not sit one per
 * line. For records, the input is read again up to the last failed one (failures are the rare path).
 */
final class FailurePlaces {

    private final Map<Long, String> places;

    private FailurePlaces(Map<Long, String> places) {
        this.places = places;
    }

    static FailurePlaces of(Batch batch, List<ItemFailure> failures) {
        if (batch.records.isLines()) {
            return new FailurePlaces(Map.of());
        }
        try {
            return new FailurePlaces(RecordFiles.where(batch.records.recordFormat(), batch.claimedInput,
                    failures.stream().map(ItemFailure::index).toList(), StartedBatch.readOptions(batch.throughLinks)));
        } catch (IOException | RuntimeException e) {
            return new FailurePlaces(Map.of()); // the item's index still says which one it is
        }
    }

    /** {@code <where>: item "…": cause}, as {@link ItemFailure#text()} with the record's place. */
    String text(ItemFailure failure) {
        String place = places.get(failure.index());
        if (place == null) {
            return failure.text();
        }
        return ErrorTexts.cut(place + ": item \"" + failure.item() + "\": " + failure.cause(), ErrorTexts.MAX_LINE);
    }
}
