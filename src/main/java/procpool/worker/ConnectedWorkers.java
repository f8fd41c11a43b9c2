package procpool.worker;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;

import org.apache.activemq.advisory.AdvisorySupport;
import org.apache.activemq.command.ActiveMQMessage;
import org.apache.activemq.command.ActiveMQQueue;
import org.apache.activemq.command.ConsumerId;
import org.apache.activemq.command.ConsumerInfo;
import org.apache.activemq.command.DataStructure;
import org.apache.activemq.command.RemoveInfo;
import org.apache.activemq.filter.MessageEvaluationContext;
import org.apache.activemq.selector.SelectorParser;

/**
 * This JVM's view of the consumers of the task queue (the connected workers), kept from the broker's consumer
 * advisories: on subscribing the broker replays the consumers there are, then reports each one that comes or goes.
 * It answers whether any connected worker would be given a chunk, by evaluating each consumer's selector on it the
 * way the broker does. Thread-safe.
 */
final class ConnectedWorkers implements AutoCloseable {

    private final Map<ConsumerId, ConsumerInfo> consumers = new ConcurrentHashMap<>();
    private Connection connection;
    private Session session;

    private ConnectedWorkers() {
    }

    /** Starts watching the consumers of {@code tasksQueue} on a connection of its own. */
    static ConnectedWorkers watch(ConnectionFactory factory, String tasksQueue) throws JMSException {
        ConnectedWorkers view = new ConnectedWorkers();
        Connection connection = factory.createConnection();
        Session session;
        try {
            // started first: see ChunkConsumer (an advisory comes at once, and would meet a connection not started)
            connection.start();
            session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createConsumer(AdvisorySupport.getConsumerAdvisoryTopic(new ActiveMQQueue(tasksQueue)))
                    .setMessageListener(view::onAdvisory);
        } catch (JMSException | RuntimeException e) {
            connection.close();
            throw e;
        }
        view.connection = connection;
        view.session = session;
        return view;
    }

    private void onAdvisory(Message message) {
        if (!(message instanceof ActiveMQMessage advisory)) {
            return;
        }
        DataStructure data = advisory.getDataStructure();
        if (data instanceof ConsumerInfo info && !info.isBrowser()) {
            consumers.put(info.getConsumerId(), info);
            synchronized (this) {
                notifyAll();
            }
        } else if (data instanceof RemoveInfo removed && removed.getObjectId() instanceof ConsumerId id) {
            consumers.remove(id);
        }
    }

    /**
     * Whether the broker would give {@code chunk} to some consumer connected now. A consumer without a selector
     * takes anything; one whose selector cannot be read is assumed to take it (better one more hop than a batch
     * failed for nothing).
     */
    boolean anyWouldTake(ActiveMQMessage chunk) {
        MessageEvaluationContext context = new MessageEvaluationContext();
        context.setMessageReference(chunk);
        for (ConsumerInfo consumer : consumers.values()) {
            String selector = consumer.getSelector();
            if (selector == null || selector.isBlank()) {
                return true;
            }
            try {
                if (SelectorParser.parse(selector).matches(context)) {
                    return true;
                }
            } catch (JMSException e) {
                return true;
            }
        }
        return false;
    }

    /**
     * Waits until the broker has reported a consumer with this selector (this worker's own: its advisory comes
     * after those of the consumers already there, and may still be on its way when the first chunk arrives).
     *
     * @return false if it was not reported within {@code timeoutMillis} (the broker sends no advisories)
     */
    boolean awaitIncludes(String selector, long timeoutMillis) throws InterruptedException {
        return await(() -> consumers.values().stream().anyMatch(consumer -> selector.equals(consumer.getSelector())),
                timeoutMillis);
    }

    /** Waits until some connected consumer would be given {@code chunk}, e.g. a worker that is connecting now. */
    boolean awaitAnyWouldTake(ActiveMQMessage chunk, long timeoutMillis) throws InterruptedException {
        return await(() -> anyWouldTake(chunk), timeoutMillis);
    }

    private synchronized boolean await(BooleanSupplier condition, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (!condition.getAsBoolean()) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    /** Consumers of the task queue the broker has reported so far. */
    int size() {
        return consumers.size();
    }

    @Override
    public void close() throws JMSException {
        if (connection != null) {
            // the session first: a connection closes by stopping, then closing its sessions, and an advisory the
            // broker dispatches in between makes ActiveMQ warn "Received a message on a connection which is not yet
            // started" (at the end of a pool, every other worker's stop sends one)
            session.close();
            connection.close();
        }
    }
}
