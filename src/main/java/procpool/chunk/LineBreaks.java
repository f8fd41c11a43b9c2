package procpool.chunk;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Counts the lines of a text's UTF-8 bytes by the one rule every part of procpool cuts items by (that of
 * {@code BufferedReader.readLine}, see {@link LineScanner}): a line ends at {@code '\n'}, at {@code "\r\n"} and at a
 * lone {@code '\r'}, and a last line without a line break counts. Fed a buffer at a time (a {@code "\r\n"} may be
 * split between two); a line break byte never occurs inside a UTF-8 multi-byte sequence, so bytes need no decoding.
 * Not thread-safe.
 */
public final class LineBreaks {

    /** Eight bytes at a time, in memory order (byte {@code k} in bits {@code 8k..8k+7}). */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long LOW_SEVEN = 0x7F7F7F7F7F7F7F7FL;

    private long breaks;
    /** The byte before was '\r': a '\n' right after it belongs to that line break. */
    private boolean afterCarriageReturn;
    /** Bytes follow the last line break (a line that is not ended yet). */
    private boolean open;

    /** Counts the line breaks in {@code bytes[from, to)}, following the bytes scanned before. */
    public LineBreaks scan(byte[] bytes, int from, int to) {
        long count = breaks;
        boolean afterCr = afterCarriageReturn;
        int lastBreak = from - 1;
        int i = from;
        while (i < to) {
            // eight bytes at once when they hold no '\r' (and no '\n' pairs with a '\r' before them): their '\n's
            // are all line breaks
            if (i <= to - Long.BYTES && !(afterCr && lastBreak == i - 1)) {
                long word = (long) LONGS.get(bytes, i);
                if (equalBytes(word, '\r') == 0) {
                    long lineFeeds = equalBytes(word, '\n');
                    if (lineFeeds != 0) {
                        count += Long.bitCount(lineFeeds);
                        lastBreak = i + (63 - Long.numberOfLeadingZeros(lineFeeds)) / Long.BYTES;
                        afterCr = false;
                    }
                    i += Long.BYTES;
                    continue;
                }
            }
            // else those eight (or the last few) one at a time
            for (int stop = Math.min(to, i + Long.BYTES); i < stop; i++) {
                byte b = bytes[i];
                // most bytes are neither: one comparison for them (both line breaks are below 14)
                if (b > '\r' || b < '\n') {
                    continue;
                }
                if (b == '\n') {
                    if (!(afterCr && lastBreak == i - 1)) {
                        count++;
                    }
                    afterCr = false;
                    lastBreak = i;
                } else if (b == '\r') {
                    count++;
                    afterCr = true;
                    lastBreak = i;
                }
            }
        }
        if (to > from) {
            // a '\r' ending the last buffer pairs with a '\n' starting this one only if nothing came in between
            afterCarriageReturn = lastBreak == to - 1 && bytes[to - 1] == '\r';
            open = lastBreak < to - 1;
        }
        breaks = count;
        return this;
    }

    /** The high bit of each byte of {@code word} that equals {@code value}, no other bit (no carry between bytes). */
    private static long equalBytes(long word, char value) {
        long zeroWhereEqual = word ^ (ONES * value);
        return ~(((zeroWhereEqual & LOW_SEVEN) + LOW_SEVEN) | zeroWhereEqual | LOW_SEVEN);
    }

    /** Line breaks scanned so far: the 1-based number of the line the next byte belongs to, less one. */
    public long breaks() {
        return breaks;
    }

    /** Lines (items) scanned so far, a last line without a line break included. */
    public long lines() {
        return breaks + (open ? 1 : 0);
    }
}
