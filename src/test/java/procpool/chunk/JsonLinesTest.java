package procpool.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

class JsonLinesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void encodesLikeJacksonWithAndWithoutTheShortcut() throws Exception {
        for (String value : new String[] {"", "plain", "é ü 漢字", "quote \" inside", "back\\slash", "two\nlines", "\t"}) {
            assertThat(JsonLines.encode(value)).isEqualTo(JSON.writeValueAsString(value));
            assertThat(JSON.readValue(JsonLines.encode(value), String.class)).isEqualTo(value);
        }
    }

    @Test
    void decodesOnlyPlainStringLiterals() {
        assertThat(JsonLines.decodePlain("\"abc\"")).isEqualTo("abc");
        assertThat(JsonLines.decodePlain("\"\"")).isEmpty();
        assertThat(JsonLines.decodePlain("\"a\\nb\"")).isNull();
        assertThat(JsonLines.decodePlain("[\"a\",\"b\"]")).isNull();
        assertThat(JsonLines.decodePlain("\"")).isNull();
        assertThat(JsonLines.decodePlain("42")).isNull();
    }
}
