package procpool.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import procpool.config.Settings;

/** How chunk and result messages travel: in memory on the coordinator's embedded broker, on disk on an external one. */
class ChunkDeliveryTest {

    @Test
    void theShippedSettingIsAuto() {
        assertThat(Settings.defaults().get(ChunkDelivery.SETTING)).isEqualTo("auto");
    }

    @Test
    void autoKeepsChunksInMemoryOnTheEmbeddedBroker() {
        ChunkDelivery delivery = ChunkDelivery.of(Settings.defaults(), true);

        assertThat(delivery.persistent()).isFalse();
        assertThat(delivery.describe()).startsWith("chunks and results in memory")
                .contains("procpool.chunk.persistent=auto");
    }

    @Test
    void autoKeepsChunksOnDiskOnAnExternalBroker() {
        ChunkDelivery delivery = ChunkDelivery.of(Settings.defaults(), false);

        assertThat(delivery.persistent()).isTrue();
        assertThat(delivery.describe()).contains("external broker outlives the coordinator");
    }

    @Test
    void trueForcesPersistentChunksOnTheEmbeddedBroker() {
        Settings settings = Settings.load(null, Map.of(), Map.of(ChunkDelivery.SETTING, "true"));

        assertThat(ChunkDelivery.of(settings, true).persistent()).isTrue();
    }

    @Test
    void falseForcesChunksInMemoryOnAnExternalBrokerAndSaysWhatThatRisks() {
        ChunkDelivery delivery = ChunkDelivery.of(" FALSE ", false);

        assertThat(delivery.persistent()).isFalse();
        assertThat(delivery.describe()).contains("lost if it stops").contains("procpool.batch.stall-timeout-ms");
    }

    @Test
    void anyOtherValueIsRefusedNamingTheSetting() {
        Settings settings = Settings.load(null, Map.of(), Map.of(ChunkDelivery.SETTING, "yes"));

        assertThatThrownBy(() -> ChunkDelivery.check(settings)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("procpool.chunk.persistent: 'yes' is not auto, true or false");
    }

    @Test
    void theChunkSendersReadTheDecisionFromCamelsPropertiesAndArePersistentWithoutIt() {
        Properties properties = ChunkDelivery.of("auto", true).addTo(new Properties());

        assertThat(properties).containsEntry(ChunkDelivery.SEND_PERSISTENT_PROPERTY, "false");
        assertThat(ChunkDelivery.ENDPOINT_OPTIONS).isEqualTo("deliveryPersistent={{procpool.chunk.send-persistent:true}}");
    }
}
