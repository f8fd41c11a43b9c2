package procpool.coordinator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.camel.builder.RouteBuilder;

/**
 * Every worker's latest state as it publishes it (see {@code WorkerBeacon}), wherever it runs: local worker JVMs,
 * workers started by hand, workers on other machines. A worker silent for {@link #SILENCE_MILLIS} is gone (killed,
 * stopped, cut off) and leaves the board.
 */
final class WorkerBoard extends RouteBuilder {

    static final long SILENCE_MILLIS = 3000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String topic;
    private final Map<String, Report> reports = new ConcurrentHashMap<>();

    private record Report(ObjectNode state, long receivedAt) {
    }

    WorkerBoard(String topic) {
        this.topic = topic;
    }

    @Override
    public void configure() {
        // a report is worth nothing a second later: no transaction, no redelivery, a bad one is dropped
        from("jms:topic:" + topic + "?transacted=false&acknowledgementModeName=AUTO_ACKNOWLEDGE")
                .routeId("worker-board")
                .onException(Exception.class).handled(true).log(org.apache.camel.LoggingLevel.DEBUG,
                        "dropped a worker report that cannot be read: ${exception.message}").end()
                .process(exchange -> record(exchange.getMessage().getBody(String.class)));
    }

    void record(String json) throws Exception {
        JsonNode node = JSON.readTree(json);
        if (node instanceof ObjectNode state && state.path("pid").isIntegralNumber()
                && state.path("host").isTextual()) {
            reports.put(state.get("host").asText() + "/" + state.get("pid").asLong(),
                    new Report(state, System.currentTimeMillis()));
        }
    }

    /** The workers heard from lately, each as it last reported. */
    List<ObjectNode> workers() {
        long now = System.currentTimeMillis();
        reports.values().removeIf(report -> now - report.receivedAt() > SILENCE_MILLIS);
        List<ObjectNode> workers = new ArrayList<>();
        reports.values().forEach(report -> workers.add(report.state().deepCopy()));
        workers.sort((a, b) -> (a.get("host").asText() + "/" + a.get("pid").asLong())
                .compareTo(b.get("host").asText() + "/" + b.get("pid").asLong()));
        return workers;
    }
}
