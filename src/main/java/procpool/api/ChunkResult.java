package procpool.api;

import java.util.List;

/** One chunk's answer from a worker: its results in order, or the failure of one of its items. */
record ChunkResult(int chunkIndex, List<String> results, TaskFailedException failure) {
}
