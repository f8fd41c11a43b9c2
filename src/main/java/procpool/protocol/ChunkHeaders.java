package procpool.protocol;

/**
 * The headers that name a chunk, stamped the same way on the chunk a worker gets ({@link ChunkMessage}) and on the
 * result it sends back ({@link ResultMessage}), so the two can never drift apart on the wire. They go through a
 * {@link Sink}: a Camel message's headers (the coordinator's routes, the workers) or a JMS message's properties (the
 * Java API, which sends without Camel) take the same names and the same value types from the same code.
 */
final class ChunkHeaders {

    /** Where headers go: {@code camelMessage::setHeader} or {@code jmsMessage::setObjectProperty}. */
    @FunctionalInterface
    interface Sink<E extends Exception> {
        void set(String name, Object value) throws E;
    }

    private ChunkHeaders() {
    }

    /** Sets the chunk's identity on {@code headers}: the optional ones only when set. */
    static <E extends Exception> void stamp(Sink<E> headers, String batchId, String task, int chunkIndex,
                                            long firstItem, int itemCount, Integer chunkCount, String source,
                                            boolean json) throws E {
        headers.set(Headers.BATCH_ID, batchId);
        headers.set(Headers.TASK, task);
        headers.set(Headers.CHUNK_INDEX, chunkIndex);
        headers.set(Headers.FIRST_ITEM, firstItem);
        headers.set(Headers.ITEM_COUNT, itemCount);
        if (chunkCount != null) {
            headers.set(Headers.CHUNK_COUNT, chunkCount);
        }
        if (source != null) {
            headers.set(Headers.SOURCE, source);
        }
        if (json) {
            headers.set(Headers.FORMAT, Headers.FORMAT_JSON);
        }
    }
}
