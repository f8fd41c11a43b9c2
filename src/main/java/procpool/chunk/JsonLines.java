package procpool.chunk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * JSON strings as chunk lines ({@code procpoolFormat=json}): Jackson does the work, but most items need no
 * escaping at all, and those take a shortcut that costs a scan instead of a parser. Thread-safe.
 */
public final class JsonLines {

    /** Jackson, loaded with the first item that needs it: plain items never do, so a JVM starts without it. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    private JsonLines() {
    }

    /** The JSON string literal for {@code value}. */
    public static String encode(String value) {
        if (isPlain(value, 0, value.length())) {
            return '"' + value + '"';
        }
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The string a plain JSON string literal stands for, or null when it is something else (escapes, arrays...). */
    public static String decodePlain(String line) {
        int length = line.length();
        return length >= 2 && line.charAt(0) == '"' && line.charAt(length - 1) == '"' && isPlain(line, 1, length - 1)
                ? line.substring(1, length - 1) : null;
    }

    /** No quote, backslash or control character: the text is its own JSON string body. */
    private static boolean isPlain(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\' || c < 0x20) {
                return false;
            }
        }
        return true;
    }
}
