package procpool.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkInHandTest {

    @Test
    void aSupervisorReadsTheChunkAWorkerHolds(@TempDir Path heartbeats) {
        Path heartbeat = heartbeats.resolve("worker-1");
        ChunkInHand chunk = ChunkInHand.open(heartbeat);

        chunk.started("pool-1a2b3c4d-0123456789abcdef", 12);
        assertThat(ChunkInHand.read(heartbeat)).isEqualTo(new ChunkInHand.Held("pool-1a2b3c4d-0123456789abcdef", 12));

        chunk.started("5f1c2a9e", 3);
        assertThat(ChunkInHand.read(heartbeat)).isEqualTo(new ChunkInHand.Held("5f1c2a9e", 3));
    }

    @Test
    void aSupervisorReadsWhenTheWorkerTookItsChunk(@TempDir Path heartbeats) {
        Path heartbeat = heartbeats.resolve("worker-1");
        ChunkInHand chunk = ChunkInHand.open(heartbeat);
        long before = System.currentTimeMillis();

        chunk.started("5f1c2a9e", 3);

        assertThat(ChunkInHand.startedAt(heartbeat)).isBetween(before, System.currentTimeMillis());
        chunk.ended();
        assertThat(ChunkInHand.startedAt(heartbeat)).as("idle").isZero();
    }

    @Test
    void betweenChunksAWorkerHoldsNone(@TempDir Path heartbeats) {
        Path heartbeat = heartbeats.resolve("worker-1");
        ChunkInHand chunk = ChunkInHand.open(heartbeat);

        assertThat(ChunkInHand.read(heartbeat)).isNull();
        chunk.started("5f1c2a9e", 3);
        chunk.ended();

        assertThat(ChunkInHand.read(heartbeat)).isNull();
    }

    @Test
    void aBatchIdTooLongToRecordIsLeftOutNotCut(@TempDir Path heartbeats) {
        Path heartbeat = heartbeats.resolve("worker-1");
        ChunkInHand chunk = ChunkInHand.open(heartbeat);

        chunk.started("b".repeat(200), 1);

        assertThat(ChunkInHand.read(heartbeat)).isNull();
        assertThat(ChunkInHand.read(heartbeats.resolve("worker-2"))).as("no file").isNull();
    }
}
