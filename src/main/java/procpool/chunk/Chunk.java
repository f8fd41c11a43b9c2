package procpool.chunk;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Up to chunk-size consecutive items of one batch, ready to send: the items joined with {@code '\n'}, kept as UTF-8
 * bytes (as the lines were cut from the input and as they go on the wire) and decoded to text only when asked.
 * Immutable; equal when index, items, bytes, last and format are.
 */
public final class Chunk {

    private final int index;
    private final long firstItem;
    private final int itemCount;
    private final byte[] utf8;
    private final boolean last;
    private final boolean json;

    /**
     * @param index     position of the chunk in its batch, from 0
     * @param firstItem index of the chunk's first item in the batch, from 0
     * @param itemCount number of items in {@code text}
     * @param text      the items joined with {@code '\n'}
     * @param last      whether this is the batch's final chunk
     * @param json      whether each line of {@code text} is a JSON string (chunk format {@code json}: records of a
     *                  CSV or JSON Lines batch, which may hold line breaks) rather than the item itself
     */
    public Chunk(int index, long firstItem, int itemCount, String text, boolean last, boolean json) {
        this(index, firstItem, itemCount, text.getBytes(StandardCharsets.UTF_8), last, json);
    }

    /** A chunk of lines, each line an item. */
    public Chunk(int index, long firstItem, int itemCount, String text, boolean last) {
        this(index, firstItem, itemCount, text, last, false);
    }

    /** As above, the items given as their UTF-8 bytes (valid UTF-8: the caller checked), kept as they are. */
    Chunk(int index, long firstItem, int itemCount, byte[] utf8, boolean last, boolean json) {
        this.index = index;
        this.firstItem = firstItem;
        this.itemCount = itemCount;
        this.utf8 = utf8;
        this.last = last;
        this.json = json;
    }

    public int index() {
        return index;
    }

    public long firstItem() {
        return firstItem;
    }

    public int itemCount() {
        return itemCount;
    }

    /** The items joined with {@code '\n'}. */
    public String text() {
        return new String(utf8, StandardCharsets.UTF_8);
    }

    /** The items joined with {@code '\n'}, as UTF-8 bytes: the array itself, not to be changed. */
    public byte[] utf8() {
        return utf8;
    }

    public boolean last() {
        return last;
    }

    public boolean json() {
        return json;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Chunk chunk && index == chunk.index && firstItem == chunk.firstItem
                && itemCount == chunk.itemCount && last == chunk.last && json == chunk.json
                && Arrays.equals(utf8, chunk.utf8);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Long.hashCode(firstItem) + index) + Arrays.hashCode(utf8);
    }

    /** Index, items and flags; the items' text only when short (a chunk may hold megabytes). */
    @Override
    public String toString() {
        return "Chunk[index=" + index + ", firstItem=" + firstItem + ", itemCount=" + itemCount + ", text="
                + (utf8.length <= 200 ? text() : utf8.length + " bytes") + ", last=" + last + ", json=" + json + "]";
    }
}
