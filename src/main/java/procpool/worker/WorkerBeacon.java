package procpool.worker;

import java.net.InetAddress;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

import org.apache.activemq.command.ActiveMQTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import procpool.chunk.JsonLines;

/**
 * A worker's state for the coordinator's dashboard, published every second on a topic, so that workers started by
 * hand or on other machines show up too: pid, host, chunk in hand and since when, chunks run, heap. Non-persistent,
 * with a short time to live: a report nobody reads is dropped, never stored. A worker whose broker is away just
 * stays silent until it is back.
 */
public final class WorkerBeacon implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerBeacon.class);
    private static final long PERIOD_MILLIS = 1000;
    private static final long TIME_TO_LIVE_MILLIS = 5000;
    private static final long MAX_PAUSE_MILLIS = 30_000;

    private final ConnectionFactory factory;
    private final String topic;
    private final Heartbeat state;
    private final long pid = ProcessHandle.current().pid();
    private final long startedAt = System.currentTimeMillis();
    private final String host = hostName();
    private final Thread thread;
    private Connection connection;
    private MessageProducer producer;
    private Session session;

    private WorkerBeacon(ConnectionFactory factory, String topic, Heartbeat state) {
        this.factory = factory;
        this.topic = topic;
        this.state = state;
        this.thread = new Thread(this::run, "worker-beacon");
        thread.setDaemon(true);
    }

    /** The topic the workers of {@code tasksQueue} publish on. */
    public static String topicFor(String tasksQueue) {
        return tasksQueue + ".workers";
    }

    static WorkerBeacon start(ConnectionFactory factory, String tasksQueue, Heartbeat state) {
        WorkerBeacon beacon = new WorkerBeacon(factory, topicFor(tasksQueue), state);
        beacon.thread.start();
        return beacon;
    }

    private void run() {
        long pause = PERIOD_MILLIS;
        // the first report a period after the start, so its connection does not add to the worker's start-up
        try {
            Thread.sleep(PERIOD_MILLIS);
        } catch (InterruptedException e) {
            return;
        }
        while (!Thread.currentThread().isInterrupted()) {
            try {
                send();
                pause = PERIOD_MILLIS;
            } catch (JMSException | RuntimeException e) {
                // a broker away or refusing the topic: try again later, less often, rather than a connection a second
                LOG.debug("cannot publish this worker's state on {}: {}", topic, e.toString());
                disconnect();
                pause = Math.min(MAX_PAUSE_MILLIS, pause * 2);
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void send() throws JMSException {
        if (producer == null) {
            connection = factory.createConnection();
            session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            producer = session.createProducer(new ActiveMQTopic(topic));
            producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            producer.setTimeToLive(TIME_TO_LIVE_MILLIS);
        }
        producer.send(session.createTextMessage(report()));
    }

    /** The state as a JSON object, written by hand: Jackson would add some 400 classes to every worker's start. */
    private String report() {
        Runtime runtime = Runtime.getRuntime();
        StringBuilder json = new StringBuilder(256).append("{\"pid\":").append(pid)
                .append(",\"host\":").append(JsonLines.encode(host))
                .append(",\"startedAt\":").append(startedAt)
                .append(",\"heartbeatAt\":").append(System.currentTimeMillis());
        Heartbeat.Chunk chunk = state.chunk();
        if (chunk != null) {
            json.append(",\"batch\":").append(JsonLines.encode(chunk.batchId()))
                    .append(",\"chunk\":").append(chunk.index())
                    .append(",\"chunkSince\":").append(chunk.since());
        } else {
            json.append(",\"batch\":null");
        }
        return json.append(",\"chunksDone\":").append(state.chunksDone())
                .append(",\"heapUsed\":").append(runtime.totalMemory() - runtime.freeMemory())
                .append(",\"heapMax\":").append(runtime.maxMemory() == Long.MAX_VALUE ? -1 : runtime.maxMemory())
                .append('}').toString();
    }

    private void disconnect() {
        producer = null;
        if (connection != null) {
            try {
                connection.close();
            } catch (JMSException e) {
                LOG.debug("closing the beacon's connection: {}", e.toString());
            }
            connection = null;
        }
    }

    @Override
    public void close() {
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        disconnect();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
