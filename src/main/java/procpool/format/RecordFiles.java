package procpool.format;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import procpool.chunk.ChunkReader;

/** Whole-file passes over a record input: counting its records when a batch begins, finding where records are. */
public final class RecordFiles {

    /** Bad records named in a count at most; the rest are only counted. */
    public static final int MAX_BAD_LISTED = 100;

    private RecordFiles() {
    }

    /**
     * The records of an input, counted in one streaming pass that also checks each of them.
     *
     * @param records  how many there are (bad ones included: each takes its place)
     * @param bad      the first {@link #MAX_BAD_LISTED} bad records
     * @param badTotal how many records are bad
     */
    public record Count(long records, List<BadRecordException> bad, long badTotal) {
    }

    /**
     * Counts and checks the records of {@code file}.
     *
     * @throws BadRecordException    when the input cannot be read as the format at all (a CSV header that is not one)
     * @throws UncheckedIOException  with a {@link java.nio.charset.CharacterCodingException} for bytes not UTF-8
     */
    public static Count count(RecordFormat format, Path file, OpenOption... options) throws IOException {
        long records = 0;
        long badTotal = 0;
        List<BadRecordException> bad = new ArrayList<>();
        try (RecordReader reader = format.reader(RecordInput.open(file, options))) {
            while (reader.hasNext()) {
                try {
                    reader.next();
                } catch (BadRecordException e) {
                    badTotal++;
                    if (bad.size() < MAX_BAD_LISTED) {
                        bad.add(e);
                    }
                }
                records++;
            }
        }
        return new Count(records, bad, badTotal);
    }

    /**
     * The number of records in {@code file}, every one checked before any is sent: an input with records that cannot
     * be read is refused as a whole, naming them (at most {@link #MAX_BAD_LISTED}), rather than failing halfway.
     *
     * @throws BadInputException naming the file, the first bad record with its line and the parser's message, and
     *                           the places of the others; or the first line that is not UTF-8
     */
    public static long countChecked(RecordFormat format, Path file, OpenOption... options)
            throws IOException, BadInputException {
        String name = file.getFileName().toString();
        Count count;
        try {
            count = count(format, file, options);
        } catch (BadRecordException e) {
            throw new BadInputException(name + " " + e.getMessage());
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof CharacterCodingException) {
                throw new BadInputException(name + " line " + ChunkReader.firstLineNotUtf8(file, options)
                        + ": not valid UTF-8 text");
            }
            throw e.getCause();
        }
        if (count.badTotal() == 0) {
            return count.records();
        }
        String first = name + " " + count.bad().get(0).getMessage();
        if (count.badTotal() == 1) {
            throw new BadInputException(first);
        }
        throw new BadInputException(first + " (" + count.badTotal() + " bad records in all: " + count.bad().stream()
                .map(BadRecordException::where).collect(Collectors.joining(", "))
                + (count.badTotal() > count.bad().size() ? ", ..." : "") + ")");
    }

    /**
     * Where the records at {@code indices} are in {@code file}, as people count: {@code record 4 (line 6)} in a CSV
     * file, {@code line 6} in JSON Lines. One pass up to the last of them (an error path: failed items).
     */
    public static Map<Long, String> where(RecordFormat format, Path file, Collection<Long> indices,
                                          OpenOption... options) throws IOException {
        boolean csv = RecordSettings.CSV.equals(format.name());
        Map<Long, String> where = new HashMap<>();
        scan(format, file, indices, options,
                record -> where.put(record.index(), csv ? "record " + record.number() + " (line " + record.line()
                        + ")" : "line " + record.line()),
                (index, bad) -> where.put(index, bad.where()));
        return where;
    }

    /** One pass over {@code file} up to the last of {@code indices}, handing on the wanted records and bad ones. */
    private static void scan(RecordFormat format, Path file, Collection<Long> indices, OpenOption[] options,
                             Consumer<Record> found, BiConsumer<Long, BadRecordException> bad) throws IOException {
        TreeSet<Long> wanted = new TreeSet<>(indices);
        if (wanted.isEmpty()) {
            return;
        }
        try (RecordReader reader = format.reader(RecordInput.open(file, options))) {
            long index = 0;
            while (reader.hasNext() && index <= wanted.last()) {
                try {
                    Record record = reader.next();
                    if (wanted.contains(record.index())) {
                        found.accept(record);
                    }
                } catch (BadRecordException e) {
                    if (wanted.contains(index)) {
                        bad.accept(index, e);
                    }
                }
                index++;
            }
        }
    }
}
