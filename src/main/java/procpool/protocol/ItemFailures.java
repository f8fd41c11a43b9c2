package procpool.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@link Headers#FAILURES} header: a failed result's items as JSON lines, one object per failed item, in item
 * order: {@code {"index":1,"item":"abc","cause":"not an integer: \"abc\"","stack":"…","workerPid":4711}}.
 * {@code index} (a whole number, 0 or more) is required; the other fields are optional (strings, and a whole
 * number for {@code workerPid}). Line breaks inside the texts are escaped by JSON, so one line is one failure.
 */
public final class ItemFailures {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ItemFailures() {
    }

    /** The header value for {@code failures}. */
    public static String encode(List<ItemFailure> failures) {
        return failures.stream().map(ItemFailures::encode).collect(Collectors.joining("\n"));
    }

    private static String encode(ItemFailure failure) {
        ObjectNode node = JSON.createObjectNode();
        node.put("index", failure.index());
        node.put("item", failure.item());
        node.put("cause", failure.cause());
        node.put("stack", failure.stack());
        node.put("workerPid", failure.workerPid());
        return node.toString();
    }

    /**
     * The people's form of {@code failures}: one {@link ItemFailure#text()} a line (the {@link Headers#ERROR}
     * header).
     */
    public static String text(List<ItemFailure> failures) {
        return failures.stream().map(ItemFailure::text).collect(Collectors.joining("\n"));
    }

    /**
     * The failures of a header value.
     *
     * @throws MalformedMessageException naming the line and what is wrong with it, if a line is not such an object
     */
    public static List<ItemFailure> decode(String header) {
        if (header == null || header.isBlank()) {
            throw new MalformedMessageException("header " + Headers.FAILURES
                    + " is empty; a failed result lists at least one item");
        }
        List<ItemFailure> failures = new ArrayList<>();
        String[] lines = header.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            failures.add(decodeLine(lines[i], i + 1));
        }
        return failures;
    }

    private static ItemFailure decodeLine(String line, int lineNumber) {
        String where = "header " + Headers.FAILURES + " line " + lineNumber + ": ";
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new MalformedMessageException(where + "not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new MalformedMessageException(where + "not a JSON object");
        }
        JsonNode index = node.get("index");
        if (index == null || !index.canConvertToExactIntegral() || !index.canConvertToLong() || index.asLong() < 0) {
            throw new MalformedMessageException(where + "\"index\" must be a whole number, 0 or more, was "
                    + (index == null ? "missing" : index.toString()));
        }
        JsonNode pid = node.get("workerPid");
        if (pid != null && !pid.isNull() && !(pid.isIntegralNumber() && pid.canConvertToLong())) {
            throw new MalformedMessageException(where + "\"workerPid\" must be a whole number, was " + pid);
        }
        return new ItemFailure(index.asLong(), text(node, "item", where), text(node, "cause", where),
                text(node, "stack", where), pid == null ? 0 : pid.asLong());
    }

    private static String text(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return "";
        }
        if (!value.isTextual()) {
            throw new MalformedMessageException(where + "\"" + field + "\" must be a string, was "
                    + value.getNodeType());
        }
        return value.asText();
    }
}
