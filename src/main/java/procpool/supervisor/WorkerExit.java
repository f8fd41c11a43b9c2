package procpool.supervisor;

/**
 * How a worker JVM ended: its exit code; the chunk it held then, as it last recorded next to its heartbeat file
 * (batch id null if none); and why it could not start, if it said (null otherwise).
 */
public record WorkerExit(long pid, int exitCode, String batchId, int chunkIndex, String startFailure) {
}
