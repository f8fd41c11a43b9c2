package procpool.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import procpool.broker.BrokerConfig;
import procpool.chunk.ChunkSizing;
import procpool.config.Settings;

/** The Java API's private pool takes its defaults from the settings shipped in the jar, not from its own copies. */
class ProcessPoolDefaultsTest {

    @Test
    void thePrivateBrokerTakesItsLimitsFromTheShippedSettingsAndOverridesOnlyWhatAPoolNeeds() {
        Settings shipped = Settings.defaults();

        BrokerConfig broker = LocalPoolRuntime.privateBroker(Path.of("/tmp/procpool-pool-x"));

        assertThat(broker.maxFrameSize()).isEqualTo(shipped.getLong("procpool.broker.max-frame-size"));
        assertThat(broker.maxConnections()).isEqualTo(shipped.getInt("procpool.broker.max-connections"));
        assertThat(broker.host()).isEqualTo("127.0.0.1");
        assertThat(broker.port()).isZero();
        assertThat(broker.persistent()).isFalse();
        assertThat(broker.dataDir()).isEqualTo(Path.of("/tmp/procpool-pool-x"));
    }

    @ParameterizedTest(name = "{1} items over {0} workers")
    @CsvSource({"1, 1", "1, 7", "3, 100", "4, 16", "4, 17", "8, 1000000"})
    void aListIsCutByTheCoordinatorsAutomaticChunkSizeRule(int processes, int items) {
        Settings shipped = Settings.defaults();
        ChunkSizing coordinators = ChunkSizing.of("auto", processes, shipped.getInt("procpool.chunk.max-size"));

        PoolConfig pool = ProcessPool.builder().processes(processes).config(shipped);

        assertThat(pool.chunkSizeFor(items)).isEqualTo(coordinators.chunkSizeFor(items));
        assertThat(pool.streamChunkSizeFor(List.of("a", "b"))).isEqualTo(coordinators.chunkSizeFor(2));
    }

    @Test
    void anAutomaticChunkStaysWithinTheCoordinatorsMaximum() {
        Settings shipped = Settings.defaults();

        PoolConfig pool = ProcessPool.builder().processes(1).config(shipped);

        assertThat(pool.chunkSizeFor(10_000_000)).isEqualTo(shipped.getInt("procpool.chunk.max-size"));
    }

    @Test
    void theBuildersChunkSizeIsUsedAsGivenForListsAndStreams() {
        PoolConfig pool = ProcessPool.builder().processes(4).chunkSize(7).config(Settings.defaults());

        assertThat(pool.chunkSizeFor(1000)).isEqualTo(7);
        assertThat(pool.streamChunkSizeFor(() -> Stream.of("a").iterator())).isEqualTo(7);
    }

    @Test
    void aStreamOfUnknownSizeIsCutIntoChunksOfAThousand() {
        PoolConfig pool = ProcessPool.builder().processes(4).config(Settings.defaults());

        assertThat(pool.streamChunkSizeFor(() -> Stream.of("a").iterator())).isEqualTo(1000);
    }
}
