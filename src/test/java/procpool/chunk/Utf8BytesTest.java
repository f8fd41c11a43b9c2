package procpool.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class Utf8BytesTest {

    @Test
    void textFarLongerThanTheDecodeBufferWithCharactersAcrossItsEdgesIsValid() {
        // 3-byte and 4-byte (surrogate pair) characters land on every position against the 8 K decode buffer
        String text = "a€😀".repeat(10_000);
        assertThat(Utf8Bytes.valid(text.getBytes(StandardCharsets.UTF_8))).isTrue();
    }

    @Test
    void aSequenceCutAtTheVeryEndIsNotValid() {
        assertThat(Utf8Bytes.valid(new byte[] {'o', 'k', (byte) 0xC3})).isFalse();
    }

    @Test
    void aBadByteFarPastTheDecodeBufferIsNotValid() {
        byte[] bytes = "é".repeat(20_000).getBytes(StandardCharsets.UTF_8);
        bytes[bytes.length - 2] = (byte) 0xFF;
        assertThat(Utf8Bytes.valid(bytes)).isFalse();
    }

    @Test
    void anEncodedSurrogateIsNotValid() {
        assertThat(Utf8Bytes.valid(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80})).isFalse();
    }

    @Test
    void anOverlongEncodingIsNotValid() {
        assertThat(Utf8Bytes.valid(new byte[] {(byte) 0xC0, (byte) 0xAF})).isFalse();
    }

    @Test
    void theLengthOfTextIsTheBytesItsChunkCarries() {
        // a chunk of records goes as the UTF-8 bytes of its text: 1, 2, 3 and, for a character beyond U+FFFF
        // (a surrogate pair), 4 bytes
        String text = "a\u00e9\u20ac\ud83d\ude00";
        assertThat(Utf8Bytes.length(text)).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length).isEqualTo(10);
    }
}
