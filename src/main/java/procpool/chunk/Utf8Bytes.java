package procpool.chunk;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8 checks of bytes that are not all ASCII (ASCII is always UTF-8). */
final class Utf8Bytes {

    private Utf8Bytes() {
    }

    /**
     * Bytes of {@code text} on the wire, where a chunk goes as its text's UTF-8 bytes ({@link Chunk}): 1 per ASCII
     * character, 2 up to U+07FF, 4 for a surrogate pair (2 per surrogate; a lone one, encoded as 1, counts 2), else 3.
     */
    static long length(CharSequence text) {
        long bytes = text.length();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                bytes += c < 0x800 || Character.isSurrogate(c) ? 1 : 2;
            }
        }
        return bytes;
    }

    /**
     * Whether {@code bytes} are valid UTF-8 text: no malformed or cut sequence, no encoded surrogate. Decodes into a
     * small buffer used over and over: the characters are not wanted, only whether the decoder objects.
     */
    static boolean valid(byte[] bytes) {
        CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(Math.min(bytes.length + 2, 8 * 1024));
        CoderResult result;
        do {
            out.clear();
            result = strict.decode(in, out, true); // end of input: a cut sequence at the end is an error
        } while (result.isOverflow());
        return !result.isError() && !strict.flush(out).isError();
    }
}
