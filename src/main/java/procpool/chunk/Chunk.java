package procpool.chunk;

/**
 * Up to chunk-size consecutive items of one batch, ready to send.
 *
 * @param index     position of the chunk in its batch, from 0
 * @param firstItem index of the chunk's first item in the batch, from 0
 * @param itemCount number of items in {@code text}
 * @param text      the items joined with {@code '\n'}
 * @param last      whether this is the batch's final chunk
 */
public record Chunk(int index, long firstItem, int itemCount, String text, boolean last) {
}
