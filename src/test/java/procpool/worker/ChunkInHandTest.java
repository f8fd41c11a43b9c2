package procpool.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

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

    /** A worker stand-in for the test below: takes a chunk, says so, and waits to be killed. */
    public static final class TakesAChunk {
        public static void main(String[] args) throws Exception {
            ChunkInHand.open(Path.of(args[0])).started("5f1c2a9e", 7);
            System.out.println("taken");
            System.out.flush();
            Thread.sleep(60_000);
        }
    }

    @Test
    void theChunkOfAWorkerKilledWhileHoldingItIsStillRead(@TempDir Path heartbeats) throws Exception {
        Path heartbeat = heartbeats.resolve("worker-1");
        Process worker = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), TakesAChunk.class.getName(), heartbeat.toString())
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(worker.getInputStream(),
                StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).isEqualTo("taken");
        } finally {
            worker.destroyForcibly();
            assertThat(worker.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(ChunkInHand.read(heartbeat)).isEqualTo(new ChunkInHand.Held("5f1c2a9e", 7));
    }
}
