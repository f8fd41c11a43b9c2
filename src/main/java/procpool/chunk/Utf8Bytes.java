package procpool.chunk;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8 checks of bytes that are not all ASCII (ASCII is always UTF-8). */
final class Utf8Bytes {

    private Utf8Bytes() {
    }

    /** Whether {@code bytes} are valid UTF-8 text: no malformed or cut sequence, no encoded surrogate. */
    static boolean valid(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
