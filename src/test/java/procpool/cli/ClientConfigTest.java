package procpool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import procpool.config.Settings;

class ClientConfigTest {

    @Test
    void withoutABrokerUrlAClientUsesTheEmbeddedBrokersPortOnThisMachine() {
        ClientConfig client = ClientConfig.from(Settings.load(null, Map.of(), Map.of("procpool.broker.port", "61700")));

        assertThat(client.url(null)).isEqualTo("tcp://127.0.0.1:61700");
    }

    @Test
    void aConfiguredBrokerUrlWinsOverThePort() {
        ClientConfig client = ClientConfig.from(Settings.load(null, Map.of("PROCPOOL_BROKER_URL", "tcp://broker:61616"),
                Map.of()));

        assertThat(client.url(null)).isEqualTo("tcp://broker:61616");
    }

    @Test
    void theBrokerFlagWinsOverTheSettings() {
        ClientConfig client = ClientConfig.from(Settings.load(null, Map.of("PROCPOOL_BROKER_URL", "tcp://broker:61616"),
                Map.of()));

        assertThat(client.url("tcp://other:1234")).isEqualTo("tcp://other:1234");
    }

    @Test
    void aClientSendsToTheConfiguredQueues() {
        ClientConfig client = ClientConfig.from(Settings.load(null, Map.of(),
                Map.of("procpool.queue.jobs", "team-a.jobs", "procpool.queue.status", "team-a.status")));

        assertThat(client.queues().jobs()).isEqualTo("team-a.jobs");
        assertThat(client.queues().status()).isEqualTo("team-a.status");
    }
}
