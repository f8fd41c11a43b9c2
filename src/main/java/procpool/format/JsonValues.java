package procpool.format;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import procpool.chunk.JsonLines;

/** JSON checks and conversions of items and results (Jackson's streaming parser: no tree for a check). */
final class JsonValues {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonValues() {
    }

    /** Null if {@code text} is exactly one JSON value, else the parser's message (what is wrong, where). */
    static String problem(String text) {
        try (JsonParser parser = JSON.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return "no JSON value";
            }
            parser.skipChildren();
            JsonToken after = parser.nextToken();
            if (after != null) {
                return "more than one JSON value on the line (" + after + " at column "
                        + parser.currentTokenLocation().getColumnNr() + ")";
            }
            return null;
        } catch (JsonProcessingException e) {
            return e.getOriginalMessage() + " (column "
                    + (e.getLocation() == null ? "?" : e.getLocation().getColumnNr()) + ")";
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** The string a chunk line in the {@code json} chunk format stands for. */
    static String decodeString(String line) throws IOException {
        String plain = JsonLines.decodePlain(line);
        if (plain != null) {
            return plain;
        }
        JsonNode node = JSON.readTree(line);
        if (node == null || !node.isTextual()) {
            throw new ResultNotWritableException("a result line is not a JSON string: "
                    + procpool.chunk.ErrorTexts.cut(line, 200));
        }
        return node.textValue();
    }

    /** A result as one JSON Lines line: itself if it is one JSON value (on one line), else a JSON string of it. */
    static String asJsonLine(String result) throws IOException {
        if (problem(result) != null) {
            return JsonLines.encode(result);
        }
        if (result.indexOf('\n') < 0 && result.indexOf('\r') < 0) {
            return result.strip();
        }
        return JSON.writeValueAsString(JSON.readTree(result)); // a pretty-printed value, on one line
    }
}
