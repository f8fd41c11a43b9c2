package procpool.worker;

import java.nio.charset.StandardCharsets;

/**
 * A chunk's results as the UTF-8 bytes of its result message's body ({@code '\n'} between them), encoded as they
 * are collected, straight into one growing array: the body of a bytes result without a text of the whole chunk in
 * between. Checking a result for line breaks is part of the same pass over its characters. Not thread-safe: one
 * per chunk.
 */
final class ResultLines {

    private byte[] bytes;
    private int size;
    private int lines;

    /** @param expectedBytes a guess of the body's size, to start the array at (it grows as needed) */
    ResultLines(int expectedBytes) {
        bytes = new byte[Math.max(64, expectedBytes)];
    }

    /**
     * Appends {@code line} as the next result, unless it holds a line break ({@code '\n'} or {@code '\r'}): then
     * nothing is appended.
     *
     * @return whether it was appended
     */
    boolean add(String line) {
        int length = line.length();
        // an ASCII character is one byte, any other at most three (a surrogate pair: four for two characters)
        ensureRoom(1 + 3L * length);
        int start = size;
        int at = lines > 0 ? start + 1 : start;
        int i = 0;
        boolean lineBreak = false;
        for (; i < length; i++) {
            char c = line.charAt(i);
            if (c >= 0x80) {
                break;
            }
            lineBreak |= c == '\n' || c == '\r';
            bytes[at++] = (byte) c;
        }
        if (i < length) {
            // the rest by the JDK's encoder; in UTF-8, the bytes of '\n' and '\r' stand for nothing else
            byte[] rest = line.substring(i).getBytes(StandardCharsets.UTF_8);
            for (byte b : rest) {
                lineBreak |= b == '\n' || b == '\r';
            }
            System.arraycopy(rest, 0, bytes, at, rest.length);
            at += rest.length;
        }
        if (lineBreak) {
            return false;
        }
        if (lines > 0) {
            bytes[start] = '\n';
        }
        size = at;
        lines++;
        return true;
    }

    /** The body's bytes: the first {@link #size()} of this array (the array itself, not a copy). */
    byte[] array() {
        return bytes;
    }

    int size() {
        return size;
    }

    /** The body as text (for a result that travels as a text message). */
    @Override
    public String toString() {
        return new String(bytes, 0, size, StandardCharsets.UTF_8);
    }

    private void ensureRoom(long needed) {
        long wanted = size + needed;
        if (wanted > bytes.length) {
            if (wanted > Integer.MAX_VALUE - 16) {
                throw new OutOfMemoryError("a chunk's results of more than 2 GB");
            }
            byte[] grown = new byte[(int) Math.min(Integer.MAX_VALUE - 16, Math.max(wanted, 2L * bytes.length))];
            System.arraycopy(bytes, 0, grown, 0, size);
            bytes = grown;
        }
    }
}
