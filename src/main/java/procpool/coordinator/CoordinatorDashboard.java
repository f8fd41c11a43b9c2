package procpool.coordinator;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import procpool.http.Dashboard;
import procpool.http.HttpBackend;
import procpool.supervisor.WorkerSupervisor;

/**
 * What the dashboard shows, gathered from the HTTP API's own answers (status, history, dead letters) and from the
 * local worker JVMs (heartbeat, chunk in hand, chunks run, heap), into one JSON document.
 */
final class CoordinatorDashboard implements Dashboard.Source {

    /** Finished batches sent to the page: enough to scroll, few enough to stay small every second. */
    static final int HISTORY_SHOWN = 100;
    private static final int REPORT_MAX_BYTES = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpBackend api;
    private final WorkerSupervisor supervisor;
    /** Workers elsewhere (by hand, other machines), null when not listened to. */
    private final WorkerBoard board;
    private final String host = hostName();
    /** Per worker pid: the chunk in hand last seen, and since when. */
    private final Map<Long, Held> inHand = new HashMap<>();

    private record Held(String chunk, long since) {
    }

    CoordinatorDashboard(HttpBackend api, WorkerSupervisor supervisor) {
        this(api, supervisor, null);
    }

    CoordinatorDashboard(HttpBackend api, WorkerSupervisor supervisor, WorkerBoard board) {
        this.api = api;
        this.supervisor = supervisor;
        this.board = board;
    }

    @Override
    public synchronized String snapshotJson() {
        try {
            ObjectNode snapshot = JSON.createObjectNode();
            snapshot.put("at", System.currentTimeMillis());
            snapshot.put("host", host);
            JsonNode status = JSON.readTree(api.statusJson());
            snapshot.set("status", status);
            snapshot.set("workers", workers());
            JsonNode history = JSON.readTree(api.historyJson());
            ArrayNode recent = snapshot.putArray("history");
            for (int i = 0; i < history.size() && i < HISTORY_SHOWN; i++) {
                recent.add(history.get(i));
            }
            snapshot.put("historyCount", history.size());
            try {
                // browsed only when a dead-letter queue holds something: the page asks every second; with an
                // external broker the depths are unknown (no queues listed), so it is browsed each time
                boolean anyDead = status.path("queues").isEmpty();
                for (JsonNode queue : status.path("queues")) {
                    anyDead |= queue.path("deadLetter").asBoolean() && queue.path("waiting").asLong() > 0;
                }
                snapshot.set("deadLetters", anyDead ? JSON.readTree(api.deadLettersJson()) : JSON.createArrayNode());
            } catch (Exception e) {
                snapshot.putArray("deadLetters");
                snapshot.put("deadLettersError", e.toString());
            }
            return JSON.writeValueAsString(snapshot);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the coordinator's own JSON: " + e, e);
        }
    }

    private ArrayNode workers() {
        long now = System.currentTimeMillis();
        ArrayNode workers = JSON.createArrayNode();
        List<WorkerSupervisor.Running> running = supervisor.running();
        inHand.keySet().retainAll(running.stream().map(WorkerSupervisor.Running::pid).toList());
        for (WorkerSupervisor.Running worker : running) {
            ObjectNode node = workers.addObject();
            node.put("pid", worker.pid());
            node.put("host", host);
            node.put("startedAt", worker.startedAt());
            if (worker.heartbeatAt() != null) {
                node.put("heartbeatAt", worker.heartbeatAt());
            } else {
                node.putNull("heartbeatAt");
            }
            if (worker.batchId() != null) {
                String chunk = worker.batchId() + "#" + worker.chunkIndex();
                Held held = inHand.get(worker.pid());
                if (held == null || !held.chunk().equals(chunk)) {
                    // the worker's own start time when it wrote one, else when this page first saw the chunk
                    held = new Held(chunk, worker.chunkSince() > 0 ? worker.chunkSince() : now);
                    inHand.put(worker.pid(), held);
                }
                node.put("batch", worker.batchId());
                node.put("chunk", worker.chunkIndex());
                node.put("chunkSince", held.since());
            } else {
                inHand.remove(worker.pid());
                node.putNull("batch");
            }
            if (worker.stats() != null) {
                node.put("chunksDone", worker.stats().chunksDone());
                node.put("heapUsed", worker.stats().heapUsed());
                node.put("heapMax", worker.stats().heapMax());
            }
        }
        if (board != null) {
            // the local ones are listed from their files already; the board adds every other worker heard from
            List<Long> local = running.stream().map(WorkerSupervisor.Running::pid).toList();
            for (ObjectNode reported : board.workers()) {
                long pid = reported.path("pid").asLong();
                // on this machine a worker that just died is known dead at once, not only once it falls silent
                boolean here = host.equals(reported.path("host").asText());
                boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
                if (!here || (!local.contains(pid) && alive)) {
                    workers.add(reported);
                }
            }
        }
        return workers;
    }

    @Override
    public Optional<String> errorReport(String batchId) {
        try {
            for (JsonNode entry : JSON.readTree(api.historyJson())) {
                if (!batchId.equals(entry.path("id").asText()) || !entry.hasNonNull("output")) {
                    continue;
                }
                Path output = Path.of(entry.get("output").asText());
                // only the .error report procpool wrote, never a link or any other file the history might name
                if (!output.getFileName().toString().endsWith(".error")
                        || !Files.isRegularFile(output, LinkOption.NOFOLLOW_LINKS)) {
                    return Optional.empty();
                }
                try (InputStream in = Files.newInputStream(output, LinkOption.NOFOLLOW_LINKS)) {
                    byte[] head = in.readNBytes(REPORT_MAX_BYTES);
                    String text = new String(head, StandardCharsets.UTF_8);
                    return Optional.of(in.read() < 0 ? text : text + "\n…(cut after 64 KiB: see " + output + ")\n");
                }
            }
        } catch (IOException e) {
            return Optional.of("cannot read the error report: " + e + "\n");
        }
        return Optional.empty();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
