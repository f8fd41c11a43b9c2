package procpool.broker;

import java.nio.file.Path;
import java.util.List;

import procpool.config.QueueNames;
import procpool.config.Settings;

/**
 * What an {@link EmbeddedBroker} is: its address ({@code port} 0 picks a free one), its store, its limits, its
 * accounts and the queues each account may use. {@code serviceQueues} are for coordinator and workers only,
 * {@code clientQueues} (jobs, status requests) also take messages from the client account. Built once from
 * {@link Settings}, whose defaults live in {@code config/application.properties} only.
 */
public record BrokerConfig(String name, String host, int port, Path dataDir, boolean persistent, long maxFrameSize,
                           int maxConnections, BrokerSecurity security, List<String> serviceQueues,
                           List<String> clientQueues) {

    public BrokerConfig {
        serviceQueues = List.copyOf(serviceQueues);
        clientQueues = List.copyOf(clientQueues);
    }

    /** The coordinator's (or {@code procpool broker}'s) broker as the settings describe it, with these accounts. */
    public static BrokerConfig from(Settings settings, BrokerSecurity security) {
        QueueNames queues = QueueNames.from(settings);
        return new BrokerConfig("procpool", settings.get("procpool.broker.host"),
                settings.getInt("procpool.broker.port"), settings.getPath("procpool.broker.data-dir"),
                settings.getBoolean("procpool.broker.persistent"), settings.getLong("procpool.broker.max-frame-size"),
                settings.getInt("procpool.broker.max-connections"), security, queues.service(), queues.client());
    }

    /**
     * A broker on a free loopback port whose only account is generated in memory and may use every queue: a Java
     * API pool's private broker, and tests'.
     */
    public static BrokerConfig local(String name, Path dataDir, boolean persistent, long maxFrameSize,
                                     int maxConnections) {
        return new BrokerConfig(name, "127.0.0.1", 0, dataDir, persistent, maxFrameSize, maxConnections,
                BrokerSecurity.NONE, List.of(">"), List.of());
    }

    BrokerConfig withHost(String otherHost) {
        return new BrokerConfig(name, otherHost, port, dataDir, persistent, maxFrameSize, maxConnections, security,
                serviceQueues, clientQueues);
    }

    BrokerConfig withSecurity(BrokerSecurity accounts, List<String> servicesQueues, List<String> clientsQueues) {
        return new BrokerConfig(name, host, port, dataDir, persistent, maxFrameSize, maxConnections, accounts,
                servicesQueues, clientsQueues);
    }
}
