package procpool.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import procpool.protocol.MalformedMessageException;

/**
 * The worker's chunk loop on plain JMS, one thread per {@code threads}: each takes one chunk at a time from the task
 * queue in a local transaction (its own connection, its connection factory's prefetch), runs it, sends the result on
 * the same session and commits both together. A worker killed mid-chunk leaves the chunk on the broker for another
 * worker, and never a result without its chunk being consumed. A failure rolls the chunk back, and the connection
 * factory's redelivery policy decides when it comes back and when the broker dead-letters it. A chunk whose task
 * this worker lacks goes back to the queue for the workers that have it ({@link TaskHandOff}), in the same way.
 * A lost connection is made again, with a growing pause.
 *
 * <p>(The worker took chunks through a Camel route and Spring's listener container before: the same transaction,
 * about 1,300 more classes and half a second more CPU at each worker start.)
 */
public final class ChunkConsumer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChunkConsumer.class);
    /** How long one receive waits: a stopping worker notices within this. */
    private static final long RECEIVE_MILLIS = 250;
    private static final long MAX_RECONNECT_PAUSE_MILLIS = 30_000;

    /**
     * Runs after a chunk's result is sent, inside its transaction: throwing rolls both back. It is given the consumer
     * running the chunk (it may be called before {@link #start} has returned it).
     */
    @FunctionalInterface
    public interface AfterChunk {
        void run(ChunkConsumer consumer) throws Exception;
    }

    private final ConnectionFactory factory;
    private final String tasksQueue;
    private final String resultsQueue;
    private final TaskHandOff taskHandOff;
    private final ChunkProcessor processor;
    private final AfterChunk afterChunk;
    private final List<Loop> loops = new ArrayList<>();
    private volatile boolean stopping;

    private ChunkConsumer(ConnectionFactory factory, String tasksQueue, String resultsQueue, TaskHandOff taskHandOff,
                          ChunkProcessor processor, AfterChunk afterChunk) {
        this.factory = factory;
        this.tasksQueue = tasksQueue;
        this.resultsQueue = resultsQueue;
        this.taskHandOff = taskHandOff;
        this.processor = processor;
        this.afterChunk = afterChunk;
    }

    /**
     * Connects {@code threads} consumers and starts taking chunks. A first connection that fails is tried again in
     * the background, as a lost one is.
     *
     * @param taskHandOff hands chunks of tasks this worker lacks back to workers that have them (null: fail them)
     * @param afterChunk  runs after each result is sent, inside the chunk's transaction
     */
    public static ChunkConsumer start(ConnectionFactory factory, String tasksQueue, String resultsQueue, int threads,
                                      TaskHandOff taskHandOff, ChunkProcessor processor, AfterChunk afterChunk) {
        ChunkConsumer consumer = new ChunkConsumer(factory, tasksQueue, resultsQueue, taskHandOff, processor,
                afterChunk);
        for (int i = 0; i < Math.max(1, threads); i++) {
            Loop loop = consumer.new Loop(i);
            loop.connectOrLog();
            consumer.loops.add(loop);
        }
        for (Loop loop : consumer.loops) {
            loop.thread.start();
        }
        return consumer;
    }

    /** A worker that fails chunks of tasks it lacks, one thread (for tests of the chunk processing alone). */
    public static ChunkConsumer start(ConnectionFactory factory, String tasksQueue, String resultsQueue,
                                      ChunkProcessor processor) {
        return start(factory, tasksQueue, resultsQueue, 1, null, processor, consumer -> { });
    }

    /**
     * Takes no further chunk; a chunk in hand still finishes and commits. A loop waiting for a chunk closes its
     * connection now rather than at the end of its receive, so an idle worker stops at once. Returns at once.
     */
    public void stopTaking() {
        stopping = true;
        for (Loop loop : loops) {
            loop.disconnectIfIdle();
        }
    }

    /** Waits until every loop has ended (after {@link #stopTaking()}): whether they did within {@code millis}. */
    public boolean awaitStopped(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        for (Loop loop : loops) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0 && loop.thread.isAlive()) {
                return false;
            }
            loop.thread.join(Math.max(1, left));
            if (loop.thread.isAlive()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Stops taking chunks and closes the connections at once: a chunk still in hand is rolled back, so the broker
     * gives it to another worker.
     */
    @Override
    public void close() {
        stopping = true;
        for (Loop loop : loops) {
            loop.disconnect();
        }
    }

    /** One consumer thread with its connection, transacted session, consumer and producer. */
    private final class Loop implements Runnable {

        private final Thread thread;
        private Connection connection;
        private Session session;
        private MessageConsumer consumer;
        private MessageProducer producer;
        private Queue results;
        private volatile boolean broken;
        /** Guarded by this: the loop holds a chunk (from its receive until its commit or rollback). */
        private boolean inHand;
        private long pauseMillis = 1000;

        Loop(int index) {
            thread = new Thread(this, "worker-chunks-" + index);
            // a task that never returns (a command killed by a stopping JVM) must not keep the JVM alive
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            while (!stopping) {
                if (session == null || broken) {
                    disconnect();
                    if (!pause()) {
                        return;
                    }
                    connectOrLog();
                    continue;
                }
                Message chunk;
                try {
                    chunk = consumer.receive(RECEIVE_MILLIS);
                } catch (JMSException | RuntimeException e) {
                    if (!stopping) {
                        LOG.warn("lost the connection to the broker: {}; connecting again", cause(e));
                        broken = true;
                    }
                    continue;
                }
                if (chunk != null && holding()) {
                    try {
                        take(chunk);
                    } finally {
                        released();
                    }
                }
            }
        }

        private void take(Message chunk) {
            try {
                if (taskHandOff == null || !taskHandOff.handOff(chunk, session)) {
                    ChunkProcessor.Answer answer = processor.process(chunk);
                    Destination to = answer.replyTo() != null ? answer.replyTo() : results;
                    producer.send(to, answer.result(), ResultDelivery.of(chunk), Message.DEFAULT_PRIORITY, 0);
                    afterChunk.run(ChunkConsumer.this);
                }
                session.commit();
            } catch (ChunkProcessor.RetryChunkException e) {
                // an expected retry: one line, no stack trace; the rollback makes the broker redeliver the chunk
                LOG.warn(e.getMessage());
                rollback();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                rollback();
                stopping = true;
            } catch (MalformedMessageException e) {
                LOG.warn("{}; rolled back, so the broker dead-letters it after its attempts", e.getMessage());
                rollback();
            } catch (Exception e) {
                if (stopping) {
                    // the connection closed under a chunk at a stop: the broker gives the chunk to another worker
                    LOG.debug("chunk rolled back at stop: {}", e.toString());
                } else {
                    LOG.warn("a chunk failed and was rolled back, so the broker redelivers it (or dead-letters it "
                            + "after its attempts)", e);
                    rollback();
                }
            }
        }

        /** Marks a chunk as in hand, unless the loop is stopping (its session is closed then, or about to be). */
        private synchronized boolean holding() {
            inHand = !stopping;
            return inHand;
        }

        private synchronized void released() {
            inHand = false;
        }

        /**
         * At a stop: closes the connection of a loop waiting in its receive. (A chunk the receive returns at that
         * very moment is rolled back by the close, and the broker gives it to another worker.)
         */
        synchronized void disconnectIfIdle() {
            if (!inHand) {
                disconnect();
            }
        }

        private void rollback() {
            try {
                session.rollback();
            } catch (JMSException | RuntimeException e) {
                // a closed or broken session rolls back on the broker by itself
                broken = true;
            }
        }

        synchronized void connectOrLog() {
            try {
                Connection made = factory.createConnection();
                try {
                    made.setExceptionListener(e -> broken = true);
                    // started before the consumer exists: a chunk the broker dispatches at once to a connection
                    // not yet started makes ActiveMQ warn "Received a message on a connection which is not yet
                    // started" when the connection is older than half a second (a loaded machine)
                    made.start();
                    Session madeSession = made.createSession(true, Session.SESSION_TRANSACTED);
                    String selector = taskHandOff == null ? null : taskHandOff.selector();
                    consumer = madeSession.createConsumer(madeSession.createQueue(tasksQueue), selector);
                    // no destination: a result goes to the results queue or to the chunk's reply queue
                    producer = madeSession.createProducer(null);
                    results = madeSession.createQueue(resultsQueue);
                    session = madeSession;
                } catch (JMSException | RuntimeException e) {
                    made.close();
                    throw e;
                }
                if (connection == null && pauseMillis > 1000) {
                    LOG.info("connected to the broker again");
                }
                connection = made;
                broken = false;
                pauseMillis = 1000;
            } catch (JMSException | RuntimeException e) {
                if (!stopping) {
                    LOG.warn("cannot connect to the broker: {}; trying again in {} s", cause(e), pauseMillis / 1000);
                }
                broken = true;
            }
        }

        /** Sleeps before the next connection attempt, doubling each time: false if stopping. */
        private boolean pause() {
            try {
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pauseMillis);
                while (!stopping && System.nanoTime() < until) {
                    Thread.sleep(Math.min(RECEIVE_MILLIS, pauseMillis));
                }
            } catch (InterruptedException e) {
                return false;
            }
            pauseMillis = Math.min(MAX_RECONNECT_PAUSE_MILLIS, pauseMillis * 2);
            return !stopping;
        }

        synchronized void disconnect() {
            Connection closing = connection;
            Session closingSession = session;
            connection = null;
            session = null;
            if (closing != null) {
                try {
                    // the session first (rolling back a chunk in hand): a connection closes by stopping, then
                    // closing its sessions, and a chunk the broker dispatches in between makes ActiveMQ warn
                    // "Received a message on a connection which is not yet started"
                    if (closingSession != null) {
                        closingSession.close();
                    }
                } catch (JMSException | RuntimeException e) {
                    LOG.debug("closing a worker session: {}", e.toString());
                }
                // closed even when its session's close failed (a broken transport): its threads end with it
                try {
                    closing.close();
                } catch (JMSException | RuntimeException e) {
                    LOG.debug("closing a worker connection: {}", e.toString());
                }
            }
        }
    }

    private static String cause(Exception e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause == e ? e.toString() : e + " (" + cause + ")";
    }
}
