package procpool.coordinator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;

import procpool.protocol.MessageBodies;
import procpool.protocol.MessageProperties;

/**
 * The queues of the broker the coordinator uses, embedded or external, over plain JMS: browse, take messages by
 * selector in one local transaction, and send fresh copies. What the dead letters and cancel need when no admin view
 * of the broker is at hand. One connection, opened at the first use and again after a failure; thread-safe.
 */
final class BrokerQueues implements AutoCloseable {

    /** How long to wait for the first message a selector names before taking it as absent. */
    private static final long FIRST_RECEIVE_MILLIS = 2000;
    /** Between further messages of one take: the broker dispatches them as fast as it can. */
    private static final long NEXT_RECEIVE_MILLIS = 250;

    private final ConnectionFactory factory;
    private Connection connection;

    BrokerQueues(ConnectionFactory factory) {
        this.factory = factory;
    }

    /** What to do with each message taken, inside the transaction: sends made on {@code session} commit with it. */
    interface Taken {
        void accept(Session session, Message message) throws JMSException;
    }

    /** The messages of {@code queue} that {@code selector} (null: all) matches, oldest first, left where they are. */
    synchronized List<Message> browse(String queue, String selector) throws JMSException {
        return withSession(false, session -> {
            List<Message> found = new ArrayList<>();
            try (QueueBrowser browser = session.createBrowser(session.createQueue(queue), selector)) {
                for (Object message : Collections.list(browser.getEnumeration())) {
                    found.add((Message) message);
                }
            }
            return found;
        });
    }

    /** Whether {@code queue} holds a message {@code selector} matches; a look that stops at the first one. */
    synchronized boolean any(String queue, String selector) throws JMSException {
        return withSession(false, session -> {
            try (QueueBrowser browser = session.createBrowser(session.createQueue(queue), selector)) {
                return browser.getEnumeration().hasMoreElements();
            }
        });
    }

    /**
     * Takes every message of {@code queue} that {@code selector} matches, at most {@code most}, and commits once all
     * are handled by {@code taken}; nothing is taken if it throws.
     *
     * @return how many were taken
     */
    synchronized int take(String queue, String selector, int most, Taken taken) throws JMSException {
        return withSession(true, session -> {
            int count = 0;
            try (MessageConsumer consumer = session.createConsumer(session.createQueue(queue), selector)) {
                Message message = consumer.receive(FIRST_RECEIVE_MILLIS);
                while (message != null) {
                    taken.accept(session, message);
                    count++;
                    message = count < most ? consumer.receive(NEXT_RECEIVE_MILLIS) : null;
                }
                session.commit();
            } catch (JMSException | RuntimeException e) {
                session.rollback();
                throw e;
            }
            return count;
        });
    }

    /**
     * A new message with {@code original}'s body and the properties {@code keep} accepts, sent to {@code queue} on
     * {@code session} with the original's delivery mode and priority. Being new, the broker counts its deliveries
     * from the start: a replayed chunk gets all its attempts again.
     */
    static void sendCopy(Session session, Message original, String queue, Predicate<String> keep)
            throws JMSException {
        Message copy = MessageBodies.copyBody(session, original);
        MessageProperties.copy(original, copy, keep);
        copy.setJMSCorrelationID(original.getJMSCorrelationID());
        copy.setJMSReplyTo(original.getJMSReplyTo());
        try (MessageProducer producer = session.createProducer(session.createQueue(queue))) {
            producer.send(copy, original.getJMSDeliveryMode(), original.getJMSPriority(), 0);
        }
    }

    /** A selector term {@code name = 'value'}, the value quoted as selectors want it. */
    static String equalsTerm(String name, String value) {
        return name + " = '" + value.replace("'", "''") + "'";
    }

    private interface SessionWork<T> {
        T apply(Session session) throws JMSException;
    }

    private <T> T withSession(boolean transacted, SessionWork<T> work) throws JMSException {
        try (Session session = connection().createSession(transacted,
                transacted ? Session.SESSION_TRANSACTED : Session.AUTO_ACKNOWLEDGE)) {
            return work.apply(session);
        } catch (JMSException e) {
            // the connection may be gone (broker restarted): open a new one next time
            closeConnection();
            throw e;
        }
    }

    private Connection connection() throws JMSException {
        if (connection == null) {
            Connection opened = factory.createConnection();
            try {
                opened.start();
            } catch (JMSException e) {
                opened.close();
                throw e;
            }
            connection = opened;
        }
        return connection;
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (JMSException ignored) {
                // closing what failed: nothing more to do
            }
            connection = null;
        }
    }

    @Override
    public synchronized void close() {
        closeConnection();
    }
}
