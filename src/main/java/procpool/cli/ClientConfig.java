package procpool.cli;

import procpool.config.QueueNames;
import procpool.config.Settings;

/**
 * Where the command-line clients ({@code worker}, {@code submit}, {@code status}) find the coordinator, read once
 * from {@link Settings}: {@code procpool.broker.url}, else the embedded broker's port on this machine, and the
 * installation's queue names.
 *
 * @param brokerUrl  {@code procpool.broker.url}; empty: the embedded broker on this machine
 * @param brokerPort {@code procpool.broker.port}, where the embedded broker listens
 */
record ClientConfig(String brokerUrl, int brokerPort, QueueNames queues) {

    static ClientConfig from(Settings settings) {
        return new ClientConfig(settings.get("procpool.broker.url"), settings.getInt("procpool.broker.port"),
                QueueNames.from(settings));
    }

    /** The broker to use: {@code brokerOption} (a {@code --broker} flag) if given, else the configured one. */
    String url(String brokerOption) {
        if (brokerOption != null) {
            return brokerOption;
        }
        return brokerUrl.isEmpty() ? "tcp://127.0.0.1:" + brokerPort : brokerUrl;
    }
}
