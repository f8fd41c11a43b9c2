package procpool.http;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;

/**
 * {@code /health/live} and {@code /health/ready}: Camel's health checks (camel-health: the context, and for
 * readiness every route and its consumer) plus, for readiness, the coordinator's own ({@link HttpBackend#readiness}).
 * UP only when every check is; the answer names each check and why one is down.
 */
final class HealthChecks {

    private final CamelContext context;
    private final HttpBackend backend;

    HealthChecks(CamelContext context, HttpBackend backend) {
        this.context = context;
        this.backend = backend;
    }

    /** One check's outcome, as the JSON shows it; {@code message} says why it is not UP. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Outcome(String name, String status, String message) {
    }

    /** The health answer: {@code status} UP or DOWN, and every check. */
    record Answer(String status, List<Outcome> checks) {
        boolean up() {
            return "UP".equals(status);
        }
    }

    Answer live() {
        return answer(HealthCheckHelper.invokeLiveness(context), List.of());
    }

    Answer ready() {
        return answer(HealthCheckHelper.invokeReadiness(context), backend.readiness());
    }

    private Answer answer(Collection<HealthCheck.Result> camel, List<HttpBackend.Check> own) {
        Map<String, Outcome> checks = new LinkedHashMap<>();
        if (camel.isEmpty()) {
            // no health-check registry (camel.health.enabled=false): Camel's own state still counts
            boolean started = context.getStatus().isStarted();
            checks.put("context", new Outcome("context", started ? "UP" : "DOWN",
                    started ? null : "Camel is " + context.getStatus()));
        }
        for (HealthCheck.Result result : camel) {
            String message = result.getMessage().orElse(result.getError().map(Throwable::toString).orElse(null));
            checks.put(result.getCheck().getId(), new Outcome(result.getCheck().getId(), result.getState().name(),
                    result.getState() == HealthCheck.State.UP ? null : message));
        }
        for (HttpBackend.Check check : own) {
            checks.put(check.name(), new Outcome(check.name(), check.up() ? "UP" : "DOWN", check.message()));
        }
        List<Outcome> all = new ArrayList<>(checks.values());
        // UNKNOWN (a check that has not run yet) does not count against; only DOWN does
        boolean up = all.stream().noneMatch(check -> "DOWN".equals(check.status()));
        return new Answer(up ? "UP" : "DOWN", all);
    }
}
