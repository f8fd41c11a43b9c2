package procpool.chunk;

import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CoderResult;
import java.nio.charset.CharsetDecoder;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

import procpool.format.BadRecordException;
import procpool.format.RecordFormat;
import procpool.format.RecordInput;
import procpool.format.RecordReader;

/**
 * Streams a batch file as {@link Chunk}s: holds one chunk and a read buffer (or one read-ahead record), never the file.
 *
 * <p>Items are the file's lines, ended as {@code BufferedReader.readLine} ends them (at {@code \n}, {@code \r} or
 * {@code \r\n}: see {@link LineScanner}), a final line break not starting another item, and cut from its bytes
 * without decoding them (a chunk is sent as its UTF-8 bytes). An empty file gives one empty chunk, so every batch
 * has a last chunk that carries its chunk count. Bytes that are not UTF-8 fail with the line number instead of
 * being replaced. A leading UTF-8 byte order mark (which Windows editors write) is dropped.
 * A file that changes while it is read (a writer still appending after the read lock let it through) fails with
 * {@link InputChangedException} at its end. Camel's splitter closes this iterator when it is done or fails.
 *
 * <p>With a {@link RecordFormat} (CSV, JSON Lines), items are that format's records instead, each sent as a JSON
 * string line (chunk format {@code json}, so an item may hold line breaks); a record spanning several lines is one
 * item, and a chunk never ends inside one. A record that cannot be read fails with its record and line.
 */
public final class ChunkReader implements Iterator<Chunk>, Closeable {

    private static final byte[] BYTE_ORDER_MARK = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private final Path file;
    private final OpenOption[] options;
    private final ChunkPlan plan;
    /** The file as it was before reading began, compared with how it is at the end. */
    private final InputSnapshot before;
    /** The lines, when items are lines (else null). */
    private final LineScanner lines;
    /** The records of a record format, or null when items are lines. */
    private final RecordReader records;
    private String nextLine;
    /** The input line {@link #nextLine}'s record starts on. */
    private long nextRecordLine;
    private long linesRead;
    private int chunksMade;
    /** Whether the end of the lines was reached and the input checked unchanged (once). */
    private boolean checkedAtEnd;
    private boolean emptyChunkPending;
    /** Bytes of the last chunk of lines: the next one is likely as long. */
    private int lastChunkBytes = 256;

    public ChunkReader(Path file, int chunkSize) throws IOException {
        this(file, chunkSize, 0);
    }

    /**
     * Starts at chunk {@code firstChunk} (skipping the lines of the chunks before it), to continue an interrupted
     * batch; the file must have lines left after them.
     *
     * @param options how to open the file, e.g. {@code NOFOLLOW_LINKS}
     */
    public ChunkReader(Path file, int chunkSize, int firstChunk, OpenOption... options) throws IOException {
        this(file, ChunkPlan.fixed(chunkSize), firstChunk, null, options);
    }

    /**
     * As {@link #ChunkReader(Path, int, int, OpenOption...)}, the items being the records of {@code format} (null:
     * lines); a resumed batch skips whole records, so it starts at a record boundary.
     */
    public ChunkReader(Path file, int chunkSize, int firstChunk, RecordFormat format, OpenOption... options)
            throws IOException {
        this(file, ChunkPlan.fixed(chunkSize), firstChunk, format, options);
    }

    /**
     * Cuts the chunks as {@code plan} says, from chunk {@code firstChunk} on (skipping the items before it).
     *
     * @param options how to open the file, e.g. {@code NOFOLLOW_LINKS}
     */
    public ChunkReader(Path file, ChunkPlan plan, int firstChunk, OpenOption... options) throws IOException {
        this(file, plan, firstChunk, null, options);
    }

    /**
     * Cuts the chunks as {@code plan} says, the items being the records of {@code format} (null: lines): a plan
     * counts items, so a chunk, adaptive or not, never ends inside a record.
     */
    public ChunkReader(Path file, ChunkPlan plan, int firstChunk, RecordFormat format, OpenOption... options)
            throws IOException {
        this.file = file;
        this.options = options;
        this.plan = plan;
        this.before = InputSnapshot.of(file);
        this.records = format == null ? null : openRecords(file, format, options);
        // lines are cut from the bytes, never decoded: a chunk's bytes go on the wire as they are (checked UTF-8)
        this.lines = format != null ? null : new LineScanner(
                withoutByteOrderMark(Files.newInputStream(file, options)), 64 * 1024);
        if (records != null) {
            this.nextLine = readRecord();
            for (long skip = plan.firstItemOf(firstChunk); skip > 0 && nextLine != null; skip--) {
                nextLine = readRecord();
            }
        } else {
            for (long skip = plan.firstItemOf(firstChunk); skip > 0 && moreLines(); skip--) {
                skipLine();
            }
        }
        this.chunksMade = firstChunk;
        this.emptyChunkPending = !moreItems() && firstChunk == 0;
    }

    @Override
    public boolean hasNext() {
        return moreItems() || emptyChunkPending;
    }

    /** Whether an item is left to read (at the end of the input, checks that it did not change while read). */
    private boolean moreItems() {
        return records != null ? nextLine != null : moreLines();
    }

    @Override
    public Chunk next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        if (emptyChunkPending) {
            emptyChunkPending = false;
            plan.sizeOf(chunksMade); // cut it all the same, so its (empty) result answers the plan
            return new Chunk(chunksMade++, 0, 0, "", true, records != null);
        }
        if (records == null) {
            return nextChunkOfLines();
        }
        long firstItem = linesRead - 1;
        // grows with what is read: a capacity computed from the chunk size overflows or exhausts the heap
        StringBuilder text = new StringBuilder(nextLine.length() + 16);
        int count = 0;
        int chunkSize = plan.sizeOf(chunksMade);
        long bytes = 0;
        long firstLine = nextRecordLine;
        while (nextLine != null && count < chunkSize) {
            if (count > 0) {
                if (endsEarly(bytes, count)) {
                    break;
                }
                text.append('\n');
                bytes++;
            }
            long itemBytes = Utf8Bytes.length(nextLine);
            if (itemBytes > plan.itemBytes()) {
                throw new InputLineException(file, nextRecordLine, tooLong("record " + linesRead), null);
            }
            text.append(nextLine);
            bytes += itemBytes;
            count++;
            checkFits(bytes, firstItem, count, firstLine);
            nextLine = readRecord();
        }
        return new Chunk(chunksMade++, firstItem, count, text.toString(), nextLine == null, true);
    }

    /**
     * The next chunk of a batch of lines: its lines' bytes appended straight from the read buffer, one array per
     * chunk, never decoded. Bytes that are not ASCII are checked to be UTF-8, a chunk at a time.
     */
    private Chunk nextChunkOfLines() {
        long firstItem = linesRead;
        // sized as the chunk before (chunks are alike), and grows with what is read: a capacity computed from the
        // chunk size overflows or exhausts the heap
        ByteText text = new ByteText(lastChunkBytes + (lastChunkBytes >> 4));
        int count = 0;
        boolean notAscii = false;
        int chunkSize = plan.sizeOf(chunksMade);
        while (count < chunkSize && moreLines()) {
            if (count > 0) {
                if (endsEarly(text.length(), count)) {
                    break;
                }
                text.append((byte) '\n');
            }
            int appended = appendLines(text, chunkSize - count);
            notAscii |= appended < 0;
            count += Math.abs(appended);
            checkFits(text.length(), firstItem, count, firstItem + 1);
        }
        lastChunkBytes = text.length();
        byte[] utf8 = text.toByteArray();
        if (notAscii && !Utf8Bytes.valid(utf8)) {
            throw new InputLineException(file, firstLineNotUtf8(file, options), "not valid UTF-8 text",
                    new CharacterCodingException());
        }
        return new Chunk(chunksMade++, firstItem, count, utf8, !moreLines(), false);
    }

    /**
     * Skips a UTF-8 byte order mark at the very start: it is no part of item 1 (nor of the lines counted, see
     * {@link ChunkSizing#countLines}).
     */
    static InputStream withoutByteOrderMark(InputStream in) throws IOException {
        PushbackInputStream pushback = new PushbackInputStream(in, BYTE_ORDER_MARK.length);
        try {
            byte[] start = pushback.readNBytes(BYTE_ORDER_MARK.length);
            if (!Arrays.equals(start, BYTE_ORDER_MARK)) {
                pushback.unread(start);
            }
            return pushback;
        } catch (IOException e) {
            in.close();
            throw e;
        }
    }

    private static RecordReader openRecords(Path file, RecordFormat format, OpenOption... options) throws IOException {
        try {
            return format.reader(RecordInput.open(file, options));
        } catch (BadRecordException e) {
            throw new InputLineException(file, e);
        } catch (UncheckedIOException e) {
            throw notUtf8(file, e, options);
        }
    }

    /** A failure to read as UTF-8 named by its first bad line, any other failure as it is. */
    private static RuntimeException notUtf8(Path file, UncheckedIOException e, OpenOption... options) {
        if (e.getCause() instanceof CharacterCodingException) {
            return new InputLineException(file, firstLineNotUtf8(file, options), "not valid UTF-8 text", e);
        }
        return e;
    }

    /** The next record as a chunk line (a JSON string), or null at the end. */
    private String readRecord() {
        try {
            if (records.hasNext()) {
                procpool.format.Record record = records.next();
                String item = record.item();
                nextRecordLine = record.line();
                linesRead++;
                return procpool.chunk.JsonLines.encode(item);
            }
            checkUnchanged();
            return null;
        } catch (BadRecordException e) {
            throw new InputLineException(file, e);
        } catch (UncheckedIOException e) {
            throw notUtf8(file, e, options);
        }
    }

    /** Whether a line is left; the first time there is none, checks that the input did not change meanwhile. */
    private boolean moreLines() {
        try {
            boolean more = lines.hasLine();
            if (!more && !checkedAtEnd) {
                checkedAtEnd = true;
                checkUnchanged();
            }
            return more;
        } catch (IOException e) {
            throw readFailure(e);
        }
    }

    /**
     * Appends the next lines' bytes, at most {@code max} of them (as many as the read buffer holds whole): how many,
     * negated if one held a byte that is not ASCII ({@link LineScanner#appendLines}).
     */
    private int appendLines(ByteText text, int max) {
        try {
            int appended = lines.appendLines(text, max, plan.itemBytes());
            linesRead += Math.abs(appended);
            return appended;
        } catch (LineScanner.LineTooLongException e) {
            throw new InputLineException(file, linesRead + 1, tooLong("the line"), e);
        } catch (IOException e) {
            throw readFailure(e);
        }
    }

    /**
     * Whether an adaptive chunk of {@code count} items ends here, before the next item, since its items hold
     * {@link ChunkPlan#itemBytes()} bytes already: the plan records the shorter cut, so the chunk is cut the same
     * when it is sent again. A fixed plan's chunks cannot end early (they start at multiples of its size).
     */
    private boolean endsEarly(long bytes, int count) {
        if (bytes < plan.itemBytes() || !plan.isAdaptive()) {
            return false;
        }
        plan.cutShort(chunksMade, count);
        return true;
    }

    /** A chunk of a fixed size too big for one message fails its batch, naming its lines and the way out. */
    private void checkFits(long bytes, long firstItem, int count, long firstLine) {
        if (bytes > plan.chunkBytes()) {
            throw new InputLineException(file, firstLine, "chunk " + chunksMade + " (from item " + (firstItem + 1)
                    + ") is more than " + megabytes(plan.chunkBytes()) + " at item " + (firstItem + count)
                    + ", more than half the largest message the broker takes (procpool.broker.max-frame-size): "
                    + "give the batch a smaller chunk size", null);
        }
    }

    /** Why {@code item} cannot be sent, with the setting that would let it. */
    private String tooLong(String item) {
        return item + " is longer than " + megabytes(plan.itemBytes()) + ", the longest item a chunk message may "
                + "carry (a quarter of procpool.broker.max-frame-size, leaving room for its results)";
    }

    private static String megabytes(long bytes) {
        return bytes >= 1024 * 1024 ? String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1048576.0)
                : bytes + " bytes";
    }

    private void skipLine() {
        try {
            lines.skipLine();
            linesRead++;
        } catch (IOException e) {
            throw readFailure(e);
        }
    }

    private RuntimeException readFailure(IOException e) {
        if (e instanceof CharacterCodingException) {
            // the decoder reads ahead by a buffer, so the bad bytes may lie some lines further on: find them
            return new InputLineException(file, firstLineNotUtf8(file, options), "not valid UTF-8 text", e);
        }
        return new UncheckedIOException("cannot read " + file + " after line " + linesRead, e);
    }

    /** At the end of the file: it must be as it was when reading began, else the batch is not its content. */
    private void checkUnchanged() {
        String change = before.changeTo(InputSnapshot.of(file));
        if (change != null) {
            throw new InputChangedException(change);
        }
    }

    /**
     * 1-based number of the first line of {@code file} that is not valid UTF-8 (error path only), lines ended as the
     * chunks cut them ({@link LineBreaks}); the last line's number if every byte is UTF-8.
     */
    public static long firstLineNotUtf8(Path file, OpenOption... options) {
        CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        LineBreaks lines = new LineBreaks();
        ByteBuffer in = ByteBuffer.allocate(64 * 1024);
        CharBuffer out = CharBuffer.allocate(64 * 1024);
        try (InputStream stream = Files.newInputStream(file, options)) {
            boolean end = false;
            while (!end) {
                int read = stream.read(in.array(), in.position(), in.remaining());
                end = read < 0;
                in.position(in.position() + Math.max(0, read));
                in.flip();
                int scanned = in.position();
                CoderResult result;
                do {
                    out.clear();
                    result = strict.decode(in, out, end);
                    // the bytes decoded so far (up to the first bad one, on an error) are good lines
                    lines.scan(in.array(), scanned, in.position());
                    scanned = in.position();
                } while (result.isOverflow());
                if (result.isError()) {
                    break;
                }
                in.compact(); // an incomplete sequence at the buffer's end waits for the rest of its bytes
            }
            return lines.breaks() + 1;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    @Override
    public void close() throws IOException {
        if (records != null) {
            records.close();
        } else {
            lines.close();
        }
    }
}
