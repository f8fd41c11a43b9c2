package procpool.chunk;

/**
 * Up to chunk-size consecutive items of one batch, ready to send.
 *
 * @param index     position of the chunk in its batch, from 0
 * @param firstItem index of the chunk's first item in the batch, from 0
 * @param itemCount number of items in {@code text}
 * @param text      the items joined with {@code '\n'}
 * @param last      whether this is the batch's final chunk
 * @param json      whether each line of {@code text} is a JSON string (chunk format {@code json}: records of a CSV or
 *                  JSON Lines batch, which may hold line breaks) rather than the item itself
 */
public record Chunk(int index, long firstItem, int itemCount, String text, boolean last, boolean json) {

    /** A chunk of lines, each line an item. */
    public Chunk(int index, long firstItem, int itemCount, String text, boolean last) {
        this(index, firstItem, itemCount, text, last, false);
    }
}
