package procpool.chunk;

import java.util.Arrays;

/**
 * A growing array of UTF-8 bytes, appended a run at a time (a chunk's lines): the bytes of
 * {@code java.io.ByteArrayOutputStream} without its lock on every call. Not thread-safe.
 */
final class ByteText {

    private byte[] bytes;
    private int length;

    ByteText(int capacity) {
        bytes = new byte[Math.max(16, capacity)];
    }

    void append(byte[] from, int offset, int count) {
        ensure(count);
        System.arraycopy(from, offset, bytes, length, count);
        length += count;
    }

    void append(byte b) {
        ensure(1);
        bytes[length++] = b;
    }

    int length() {
        return length;
    }

    /** A copy of the bytes appended, exactly as long as they are. */
    byte[] toByteArray() {
        return Arrays.copyOf(bytes, length);
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            // grows by half again as the chunk grows: a capacity computed from the chunk size could exhaust the heap
            long wanted = Math.max((long) length + more, bytes.length + (bytes.length >> 1));
            if (wanted > Integer.MAX_VALUE - 16) {
                throw new OutOfMemoryError("a chunk of more than 2 GB");
            }
            bytes = Arrays.copyOf(bytes, (int) wanted);
        }
    }
}
