package procpool.api;

import java.util.function.Consumer;

/** A pool call waiting for result chunks; the pool can abort it (terminate, close). */
interface Call extends Consumer<ChunkResult> {

    void abort(ProcessPoolException reason);
}
