package procpool.worker;

import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.BytesMessage;
import jakarta.jms.TextMessage;

import org.apache.activemq.command.ActiveMQMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import procpool.chunk.ErrorTexts;
import procpool.protocol.Headers;
import procpool.protocol.MessageBodies;
import procpool.protocol.MessageProperties;
import procpool.task.TaskRegistry;

/**
 * Hands a chunk whose task this worker lacks (a plugin it has no jar for, a class not on its classpath) back to the
 * task queue for the workers that have it, instead of failing its batch. The copy lists this worker's id in
 * {@link Headers#LACKED_BY}, and each worker consumes only chunks that do not list its id ({@link #selector()}),
 * so a chunk visits every worker at most once: it cannot loop. The copy is sent on the session the chunk came on,
 * in its transaction, so at any time exactly one copy of the chunk exists. When no connected worker would take the
 * copy, the chunk stays here and {@link ChunkProcessor} fails it, naming the task and the workers that lack it.
 * Thread-safe.
 */
final class TaskHandOff implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TaskHandOff.class);
    private static final long PID = ProcessHandle.current().pid();
    /** How long a worker that has just connected waits for the broker to report its own consumer. */
    private static final long ADVISORY_WAIT_MILLIS = 10_000;
    /** How long a chunk nobody connected would take waits for a worker with its task to connect. */
    private static final long JOIN_WAIT_MILLIS = 3_000;
    /** After finding no taker for a task, further chunks of it fail without that wait for this long. */
    private static final long NO_TAKER_MEMORY_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final TaskRegistry tasks;
    private final ConnectionFactory factory;
    private final String tasksQueue;
    /** Started with the first chunk this worker lacks the task of: most workers never need it (a connection less). */
    private ConnectedWorkers connectedWorkers;
    private final String workerId;
    private final AtomicLong handedOff = new AtomicLong();
    private final Set<String> tasksReported = Collections.newSetFromMap(new ConcurrentHashMap<>());
    private final Map<String, Long> noTakerSince = new ConcurrentHashMap<>();
    /** The broker has not reported this worker's own consumer: it sends no advisories, so nobody can be seen. */
    private volatile boolean blind;

    /**
     * Hands off chunks of the tasks {@code tasks} lacks, watching the consumers of {@code tasksQueue} from the first
     * such chunk on (the broker then reports every consumer already connected).
     */
    public static TaskHandOff watching(TaskRegistry tasks, ConnectionFactory factory, String tasksQueue) {
        return new TaskHandOff(tasks, factory, tasksQueue);
    }

    private TaskHandOff(TaskRegistry tasks, ConnectionFactory factory, String tasksQueue) {
        this.tasks = tasks;
        this.factory = factory;
        this.tasksQueue = tasksQueue;
        // hex digits and '-' only: nothing a selector's LIKE pattern would read as a wildcard
        this.workerId = PID + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    }

    /** The selector of this worker's consumer: every chunk except those this worker has handed back. */
    String selector() {
        return Headers.LACKED_BY + " IS NULL OR " + Headers.LACKED_BY + " NOT LIKE '%," + workerId + ",%'";
    }

    /**
     * Hands {@code message} back to the task queue on {@code session} (the chunk's own, transacted) if its task is
     * not here and a connected worker would take it; the caller then commits, consuming the chunk.
     *
     * @return whether the chunk was handed back (false: the caller runs it, or fails it naming the task)
     */
    boolean handOff(jakarta.jms.Message message, Session session) throws JMSException, InterruptedException {
        String task = message.getStringProperty(Headers.TASK);
        if (task == null || tasks.resolve(task).isPresent()
                || !(message instanceof TextMessage || message instanceof BytesMessage)) {
            return false;
        }
        ActiveMQMessage copy = copyListingThisWorker(message, session);
        boolean seesItself = connectedWorkers().awaitIncludes(selector(), blind ? 0 : ADVISORY_WAIT_MILLIS);
        if (seesItself && !someWorkerTakes(task, copy)) {
            // every connected worker lacks the task: ChunkProcessor answers with the failure
            return false;
        }
        if (!seesItself && !blind) {
            blind = true;
            LOG.warn("the broker sends no consumer advisories, so this worker cannot tell whether any connected worker "
                    + "has task '{}'; handing its chunks back regardless",
                    ErrorTexts.printable(task, ErrorTexts.MAX_ITEM));
        }
        send(session, message, copy);
        handedOff.incrementAndGet();
        // batch id and task come from whoever sent the chunk: shown printable, so they cannot forge log lines
        String where = ErrorTexts.printable("chunk " + message.getObjectProperty(Headers.CHUNK_INDEX)
                + " of batch " + message.getObjectProperty(Headers.BATCH_ID), ErrorTexts.MAX_ITEM);
        String shownTask = ErrorTexts.printable(task, ErrorTexts.MAX_ITEM);
        if (tasksReported.add(task)) {
            LOG.info("{}: this worker (pid {}) lacks task '{}' (it has {}); handed the chunk back to the workers "
                            + "that have it, and will do so with every chunk of that task, quietly", where, PID,
                    shownTask, String.join(", ", tasks.names()));
        } else {
            LOG.debug("{}: handed back, task '{}' is not here", where, shownTask);
        }
        return true;
    }

    /**
     * Whether a connected worker would take the copy. If none would, waits a moment for one to connect (after a
     * coordinator restart its own workers connect a second or two after workers elsewhere), unless this worker
     * found no taker for the task a short while ago: then the batch fails at once rather than chunk by chunk slowly.
     */
    private boolean someWorkerTakes(String task, ActiveMQMessage copy) throws InterruptedException, JMSException {
        if (connectedWorkers().anyWouldTake(copy)) {
            return true;
        }
        Long lastNone = noTakerSince.get(task);
        if ((lastNone == null || System.nanoTime() - lastNone > NO_TAKER_MEMORY_NANOS)
                && connectedWorkers().awaitAnyWouldTake(copy, JOIN_WAIT_MILLIS)) {
            return true;
        }
        noTakerSince.put(task, System.nanoTime());
        return false;
    }

    private ActiveMQMessage copyListingThisWorker(jakarta.jms.Message chunk, Session session) throws JMSException {
        // a text chunk (the Java API's) or a bytes chunk (the coordinator's): the copy is of the same kind
        ActiveMQMessage copy = (ActiveMQMessage) MessageBodies.copyBody(session, chunk);
        MessageProperties.copy(chunk, copy, name -> name.startsWith("procpool"));
        String lackedBy = chunk.getStringProperty(Headers.LACKED_BY);
        copy.setStringProperty(Headers.LACKED_BY, (lackedBy == null ? "," : lackedBy) + workerId + ",");
        copy.setJMSReplyTo(chunk.getJMSReplyTo());
        copy.setJMSCorrelationID(chunk.getJMSCorrelationID());
        return copy;
    }

    /** On the chunk's own transacted session: the copy is sent if, and only if, the chunk is consumed. */
    private static void send(Session session, jakarta.jms.Message chunk, jakarta.jms.Message copy)
            throws JMSException {
        long expiration = chunk.getJMSExpiration();
        long timeToLive = expiration == 0 ? 0 : Math.max(1, expiration - System.currentTimeMillis());
        MessageProducer producer = session.createProducer(chunk.getJMSDestination());
        try {
            producer.send(copy, chunk.getJMSDeliveryMode() == 0 ? DeliveryMode.PERSISTENT : chunk.getJMSDeliveryMode(),
                    chunk.getJMSPriority(), timeToLive);
        } finally {
            producer.close();
        }
    }

    /** The worker pids listed in a chunk's {@link Headers#LACKED_BY}, e.g. {@code "4711, 4712"}. */
    static String lackingPids(String lackedBy) {
        if (lackedBy == null) {
            return "";
        }
        return String.join(", ", Arrays.stream(lackedBy.split(",")).filter(id -> !id.isEmpty())
                .map(id -> id.indexOf('-') > 0 ? id.substring(0, id.indexOf('-')) : id).toList());
    }

    /** Consumers of the task queue (worker threads) this worker knows to be connected, itself included. */
    int consumersSeen() {
        try {
            return connectedWorkers().size();
        } catch (JMSException e) {
            return 0;
        }
    }

    private synchronized ConnectedWorkers connectedWorkers() throws JMSException {
        if (connectedWorkers == null) {
            connectedWorkers = ConnectedWorkers.watch(factory, tasksQueue);
        }
        return connectedWorkers;
    }

    public long chunksHandedOff() {
        return handedOff.get();
    }

    @Override
    public synchronized void close() throws JMSException {
        if (connectedWorkers != null) {
            connectedWorkers.close();
        }
    }
}
