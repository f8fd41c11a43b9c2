package procpool.broker;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.apache.activemq.broker.BrokerPlugin;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.TransportConnector;
import org.apache.activemq.broker.region.policy.IndividualDeadLetterStrategy;
import org.apache.activemq.command.ActiveMQQueue;
import org.apache.activemq.broker.region.policy.PolicyEntry;
import org.apache.activemq.broker.region.policy.PolicyMap;
import org.apache.activemq.store.SharedFileLocker;
import org.apache.activemq.store.kahadb.KahaDBPersistenceAdapter;

/**
 * The ActiveMQ Classic broker that runs inside the coordinator. It is started before Camel, so the coordinator
 * can reach it over {@code vm://} with {@code create=false} and never races a second, auto-created broker.
 */
public final class EmbeddedBroker implements AutoCloseable {

    private final BrokerService broker;
    private final TransportConnector connector;
    private final StoreFailureHandler storeFailures;
    private final BrokerSecurity security;
    /** Set by {@link #close()}: a stop after this one is asked for, not a failure. */
    private volatile boolean closing;

    private EmbeddedBroker(BrokerService broker, TransportConnector connector, StoreFailureHandler storeFailures,
                           BrokerSecurity security) {
        this.broker = broker;
        this.connector = connector;
        this.storeFailures = storeFailures;
        this.security = security;
    }

    /**
     * Calls {@code listener} once, with the cause, if the broker fails by itself rather than being closed: when its
     * store cannot be written (it then stops), or when it stops for any other reason. Called on a broker thread,
     * before the broker stops when the store failed, so the owner can stop relying on it first.
     */
    public void onFailure(Consumer<String> listener) {
        AtomicBoolean told = new AtomicBoolean();
        Consumer<String> once = cause -> {
            if (told.compareAndSet(false, true)) {
                listener.accept(cause);
            }
        };
        storeFailures.onFailure(once);
        broker.addShutdownHook(() -> {
            if (!closing) {
                once.accept(storeFailures.cause() != null ? storeFailures.cause() : "it stopped unexpectedly");
            }
        });
        if (broker.isStopped() && !closing) {
            once.accept(storeFailures.cause() != null ? storeFailures.cause() : "it stopped unexpectedly");
        }
    }

    /**
     * Starts a broker as {@code config} describes it. Only one broker may use a data folder at a time. Without a
     * service account in its security, the broker generates one in memory ({@link #security()}): tcp connections
     * always log in; in-JVM ({@link #vmUrl()}) connections need none.
     *
     * @throws IllegalStateException when asked to listen beyond loopback without credentials
     */
    public static EmbeddedBroker start(BrokerConfig config) throws Exception {
        return start(config, false);
    }

    /**
     * {@link #start(BrokerConfig)}, where {@code dispatchOnArrival} says whether each queue (temporary ones too)
     * dispatches a message on the thread that brought it in (ActiveMQ's {@code optimizedDispatch}) instead of waking a
     * dispatch thread of its own: a thread hand-off less per message each way, for a Java API pool's private broker,
     * whose {@code apply} waits on each round trip. What is delivered, and when it is acknowledged, stays the same.
     */
    public static EmbeddedBroker start(BrokerConfig config, boolean dispatchOnArrival) throws Exception {
        String name = config.name();
        String host = config.host();
        int port = config.port();
        Path dataDir = config.dataDir();
        boolean persistent = config.persistent();
        BrokerSecurity configured = config.security();
        configured.checkMayListenOn(host);
        BrokerSecurity security = configured.withGeneratedServiceAccount();
        BrokerService broker = new BrokerService();
        broker.setBrokerName(name);
        broker.setDataDirectoryFile(dataDir.toFile());
        broker.setPersistent(persistent);
        StoreFailureHandler storeFailures = new StoreFailureHandler(dataDir.resolve("kahadb"), persistent);
        broker.setIoExceptionHandler(storeFailures);
        if (persistent) {
            // a transaction that only moved chunks and results in memory commits without a synced journal record
            KahaDBPersistenceAdapter kahaDb = new EmbeddedKahaDB();
            kahaDb.setDirectory(dataDir.resolve("kahadb").toFile());
            // a second broker on the same store would wait silently for the lock, looking like a hang: fail instead
            SharedFileLocker locker = new SharedFileLocker();
            locker.setFailIfLocked(true);
            kahaDb.setLocker(locker);
            broker.setPersistenceAdapter(kahaDb);
        }
        // no JMX, no web console, no Jolokia: nothing to expose beyond the OpenWire port
        broker.setUseJmx(false);
        broker.setSchedulerSupport(false);
        // the coordinator stops the broker itself, after Camel has stopped using it
        broker.setUseShutdownHook(false);
        broker.setDestinationPolicy(deadLetterPerQueue(dispatchOnArrival));
        List<BrokerPlugin> plugins = new ArrayList<>(security.plugins(config.serviceQueues(), config.clientQueues()));
        plugins.add(new ObjectMessageRefusal());
        broker.setPlugins(plugins.toArray(BrokerPlugin[]::new));
        // ActiveMQ's defaults (100 GB store, 50 GB temp) exceed most disks and it warns at every start;
        // cap them at what the disk has, so producers slow down (flow control) before the disk fills
        Files.createDirectories(dataDir);
        long usable = Files.getFileStore(dataDir).getUsableSpace() / 10 * 9;
        broker.getSystemUsage().getStoreUsage()
                .setLimit(Math.min(usable, broker.getSystemUsage().getStoreUsage().getLimit()));
        broker.getSystemUsage().getTempUsage()
                .setLimit(Math.min(usable, broker.getSystemUsage().getTempUsage().getLimit()));
        // and keep its message memory within this JVM's heap (the 1 GB default warns in small JVMs)
        broker.getSystemUsage().getMemoryUsage().setLimit(Math.min(broker.getSystemUsage().getMemoryUsage().getLimit(),
                Runtime.getRuntime().maxMemory() / 2));
        TransportConnector connector = broker.addConnector(new URI("tcp://" + host + ":" + port
                + "?maximumConnections=" + config.maxConnections()
                + "&wireFormat.maxFrameSize=" + config.maxFrameSize()));
        try {
            broker.start();
        } catch (Exception e) {
            broker.stop();
            throw new IllegalStateException("cannot start the embedded broker on " + host + ":" + port
                    + " with its store in " + dataDir + " (another coordinator running?): " + e.getMessage(), e);
        }
        if (!broker.waitUntilStarted()) {
            throw new IllegalStateException("cannot start the embedded broker on " + host + ":" + port);
        }
        return new EmbeddedBroker(broker, connector, storeFailures, security);
    }

    /**
     * A failed chunk goes to {@code DLQ.<queue>} rather than the shared ActiveMQ.DLQ, persistent or not: by default
     * ActiveMQ drops a non-persistent message (a Java API pool's chunk) after its redeliveries instead, and the call
     * waiting for it would wait for ever.
     */
    private static PolicyMap deadLetterPerQueue(boolean dispatchOnArrival) {
        IndividualDeadLetterStrategy deadLetters = new IndividualDeadLetterStrategy();
        deadLetters.setQueuePrefix("DLQ.");
        deadLetters.setUseQueueForQueueMessages(true);
        deadLetters.setProcessNonPersistent(true);
        PolicyEntry everyQueue = new PolicyEntry();
        everyQueue.setQueue(">");
        everyQueue.setDeadLetterStrategy(deadLetters);
        // a transacted consumer's "delivered" acknowledgement would otherwise widen its prefetch window: a worker
        // busy on one chunk would hold the next one too, and a task that kills its JVM would charge that innocent
        // chunk an attempt each time, until it too was dead-lettered
        everyQueue.setUsePrefetchExtension(false);
        everyQueue.setOptimizedDispatch(dispatchOnArrival);
        PolicyMap policies = new PolicyMap();
        if (dispatchOnArrival) {
            // temporary queues (a pool's reply queue) match only an entry of their own; ActiveMQ's defaults otherwise
            PolicyEntry everyTemporaryQueue = new PolicyEntry();
            everyTemporaryQueue.setTempQueue(true);
            everyTemporaryQueue.setOptimizedDispatch(true);
            policies.setPolicyEntries(List.of(everyQueue, everyTemporaryQueue));
            return policies;
        }
        policies.setPolicyEntries(List.of(everyQueue));
        return policies;
    }

    /** Messages waiting in a queue and consumers attached to it. */
    public record QueueStats(long waiting, int consumers) {
    }

    /** The queue's statistics, or zeros if it does not exist yet. */
    public QueueStats queueStats(String queue) {
        try {
            var destination = broker.getDestination(new ActiveMQQueue(queue));
            return destination == null ? new QueueStats(0, 0) : new QueueStats(
                    destination.getDestinationStatistics().getMessages().getCount(), destination.getConsumers().size());
        } catch (Exception e) {
            return new QueueStats(0, 0);
        }
    }

    /**
     * Removes the messages of a queue that match a JMS selector (those not yet handed to a consumer), as the broker's
     * admin would; 0 if the queue does not exist.
     */
    public int removeMessages(String queue, String selector) throws Exception {
        org.apache.activemq.broker.region.Queue found = queue(queue);
        return found == null ? 0 : found.removeMatchingMessages(selector);
    }

    private org.apache.activemq.broker.region.Queue queue(String name) throws Exception {
        org.apache.activemq.broker.region.Destination destination = broker.getDestination(new ActiveMQQueue(name));
        // the broker hands out its queues wrapped (statistics, plugins): the queue itself is at the end of the chain
        while (destination instanceof org.apache.activemq.broker.region.DestinationFilter wrapped) {
            destination = wrapped.getNext();
        }
        return destination instanceof org.apache.activemq.broker.region.Queue found ? found : null;
    }

    /** The accounts this broker checks; its service account logs in over tcp, e.g. in a worker's environment. */
    public BrokerSecurity security() {
        return security;
    }

    /** In-JVM address for the coordinator's own connections, which need no login; never starts a broker of its own. */
    public String vmUrl() {
        return "vm://" + broker.getBrokerName() + "?create=false";
    }

    /** The port the OpenWire connector actually listens on. */
    public int port() {
        try {
            return connector.getConnectUri().getPort();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws Exception {
        closing = true;
        broker.stop();
        broker.waitUntilStopped();
    }
}
