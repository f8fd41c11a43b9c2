package procpool.protocol;

import org.apache.camel.Message;

/**
 * The headers that name a chunk, stamped the same way on the chunk a worker gets ({@link ChunkMessage}) and on the
 * result it sends back ({@link ResultMessage}), so the two can never drift apart on the wire.
 */
final class ChunkHeaders {

    private ChunkHeaders() {
    }

    /** Replaces all headers of {@code message} with the chunk's identity: the optional ones only when set. */
    static void stamp(Message message, String batchId, String task, int chunkIndex, long firstItem, int itemCount,
                      Integer chunkCount, String source, boolean json) {
        message.removeHeaders("*");
        message.setHeader(Headers.BATCH_ID, batchId);
        message.setHeader(Headers.TASK, task);
        message.setHeader(Headers.CHUNK_INDEX, chunkIndex);
        message.setHeader(Headers.FIRST_ITEM, firstItem);
        message.setHeader(Headers.ITEM_COUNT, itemCount);
        if (chunkCount != null) {
            message.setHeader(Headers.CHUNK_COUNT, chunkCount);
        }
        if (source != null) {
            message.setHeader(Headers.SOURCE, source);
        }
        if (json) {
            message.setHeader(Headers.FORMAT, Headers.FORMAT_JSON);
        }
    }
}
