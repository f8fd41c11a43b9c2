package procpool.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerStatsTest {

    @TempDir
    Path dir;

    @Test
    void whatAWorkerWritesItsSupervisorReads() throws Exception {
        Path heartbeat = dir.resolve("worker-1");

        WorkerStats.write(heartbeat, 7);

        WorkerStats.Reading reading = WorkerStats.read(heartbeat);
        assertThat(reading.chunksDone()).isEqualTo(7);
        assertThat(reading.heapUsed()).isPositive();
        assertThat(reading.heapMax()).isGreaterThanOrEqualTo(reading.heapUsed());
    }

    @Test
    void noFileOrADamagedOneReadsAsNothingKnown() throws Exception {
        Path heartbeat = dir.resolve("worker-2");
        assertThat(WorkerStats.read(heartbeat)).isNull();

        Files.writeString(WorkerStats.fileFor(heartbeat), "3 lots");
        assertThat(WorkerStats.read(heartbeat)).isNull();
    }

    @Test
    void theNextWorkerOfTheSlotStartsWithoutThem() throws Exception {
        Path heartbeat = dir.resolve("worker-3");
        WorkerStats.write(heartbeat, 2);

        HeartbeatFile.clear(heartbeat);

        assertThat(WorkerStats.read(heartbeat)).isNull();
    }
}
