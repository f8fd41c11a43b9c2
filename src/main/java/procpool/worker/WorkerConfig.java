package procpool.worker;

import java.nio.file.Path;

import procpool.broker.AccountSettings;
import procpool.config.QueueNames;
import procpool.config.Settings;

/**
 * How a worker JVM runs, read once from {@link Settings} (whose defaults live in {@code config/application.properties}
 * only).
 *
 * @param plugins                       folder of task jars
 * @param queues                        the installation's queue names (chunks are taken from {@code tasks})
 * @param prefetch                      chunks the broker may hand this worker ahead
 * @param maxAttempts                   deliveries a chunk may use before it is dead-lettered
 * @param retryDelayMillis              first redelivery delay of a rolled-back chunk (doubling up to 30 s)
 * @param itemTimeoutMillis             an item running longer ends the worker; 0 for no limit
 * @param brokerInactivityTimeoutMillis OpenWire inactivity timeout of the worker's connection; 0 keeps ActiveMQ's
 * @param username                      the service account the worker logs in with (empty: none)
 * @param password                      its password
 * @param threads                       chunks this JVM runs at once, each on its own connection
 * @param shutdownTimeoutMillis         how long a stopping worker lets its chunk in hand finish before rolling it
 *                                      back ({@code camel.main.shutdown-timeout}, the coordinator's own stop time)
 * @param maxFrameSize                  the largest message the broker takes ({@code procpool.broker.max-frame-size}):
 *                                      a chunk's results must fit in one
 */
record WorkerConfig(Path plugins, QueueNames queues, int prefetch, int maxAttempts, int retryDelayMillis,
                    int itemTimeoutMillis, int brokerInactivityTimeoutMillis, String username, String password,
                    int threads, long shutdownTimeoutMillis, long maxFrameSize) {

    static WorkerConfig from(Settings settings) {
        AccountSettings accounts = AccountSettings.from(settings);
        return new WorkerConfig(settings.getPath("procpool.plugins"), QueueNames.from(settings),
                settings.getInt("procpool.broker.worker-prefetch"), settings.getInt("procpool.worker.max-attempts"),
                settings.getInt("procpool.worker.retry-delay-ms"), settings.getInt("procpool.worker.item-timeout-ms"),
                settings.getInt("procpool.worker.broker-inactivity-timeout-ms"), accounts.username(),
                accounts.password(), settings.getInt("procpool.worker.threads"),
                settings.getLong("camel.main.shutdown-timeout") * 1000,
                settings.getLong("procpool.broker.max-frame-size"));
    }

    /** Never the password: configs end up in logs. */
    @Override
    public String toString() {
        return "WorkerConfig[plugins=" + plugins + ", queues=" + queues + ", prefetch=" + prefetch + ", maxAttempts="
                + maxAttempts + ", retryDelayMillis=" + retryDelayMillis + ", itemTimeoutMillis=" + itemTimeoutMillis
                + ", brokerInactivityTimeoutMillis=" + brokerInactivityTimeoutMillis + ", username=" + username
                + ", threads=" + threads + ", shutdownTimeoutMillis=" + shutdownTimeoutMillis + "]";
    }
}
