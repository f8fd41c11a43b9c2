package procpool.routes;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import jakarta.jms.BytesMessage;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Queue;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;

import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import procpool.batch.BatchRejectedException;
import procpool.batch.BatchTracker;
import procpool.batch.StartedBatch;
import procpool.batch.JobReplies;
import procpool.chunk.ErrorTexts;
import procpool.protocol.Headers;
import procpool.task.TaskNames;

/**
 * Job routes: a job message (text or bytes, one item per line, task in {@code procpoolTask}) becomes a batch like
 * an inbox file. The message is acknowledged once its items are on disk; the batch then goes to the batch sender.
 * The raw JMS message is read ({@code mapJmsMessage=false}) and only the documented properties are looked at, so
 * nothing a sender sets can steer Camel.
 *
 * <p>Every fault of a job, of whatever kind, ends the same way, once: the job is acknowledged (never redelivered),
 * a copy goes to {@code DLQ.<jobs queue>} with the reason in {@code procpoolRejectReason}, the sender gets a failure
 * reply if it asked for an answer, and nothing is left running or lying in the inbox (a batch it had begun is failed).
 * A job's {@code JMSReplyTo} must be a temporary queue, or a queue whose name starts with
 * {@code procpool.jobs.reply-prefix}: the coordinator never sends an answer anywhere else (not into its own queues).
 */
final class JobRouteBuilder extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(JobRouteBuilder.class);
    private static final Pattern OUTPUT_NAME = procpool.protocol.JobBatchNames.VALID;
    /** A reply queue named by prefix: a plain name, no composite ({@code a,b}) or wildcard destination. */
    private static final Pattern REPLY_QUEUE_NAME = Pattern.compile("[A-Za-z0-9_.:-]{1,200}");
    /** Exchange property: the job message as it came. */
    private static final String JOB = "procpoolJob";
    /** Exchange property: the sender was already answered (by the tracker, failing the job's batch). */
    private static final String ANSWERED = "procpoolJobAnswered";
    private static final String REJECTED_REPLY_TO = "procpoolRejectedReplyTo";

    private final BatchTracker batches;
    private final JmsJobReplies replies;
    private String replyPrefix = "";

    JobRouteBuilder(BatchTracker batches, JmsJobReplies replies) {
        this.batches = batches;
        this.replies = replies;
    }

    @Override
    public void configure() {
        replies.useContext(getContext());
        replyPrefix = getContext().getPropertiesComponent().resolveProperty("procpool.jobs.reply-prefix")
                .orElse("").strip();

        // any fault (and, through ErrorGuard, any Error) of a job: handled here, so it is never redelivered
        onException(Exception.class).handled(true)
                .process(this::failStartedBatch)
                .process(this::toDeadLetter)
                .to("jms:queue:DLQ.{{procpool.queue.jobs}}")
                .process(this::answerRejected)
                .log(LoggingLevel.WARN, "job rejected, moved to DLQ.{{procpool.queue.jobs}}: "
                        + "${header." + Headers.REJECT_REASON + "}");

        from("jms:queue:{{procpool.queue.jobs}}"
                + "?mapJmsMessage=false&disableReplyTo=true"
                + "&transacted=true&lazyCreateTransactionManager=false&cacheLevelName=CACHE_CONSUMER")
                .routeId("jobs")
                .process(ErrorGuard.processor(this::startJob))
                .to(ChunkSenderRouteBuilder.BATCHES);
    }

    private void startJob(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        jakarta.jms.Message job = message.getBody(jakarta.jms.Message.class);
        exchange.setProperty(JOB, job);
        JobReplies.ReplyTarget replyTo = replyTarget(job);
        String task = job.getStringProperty(Headers.TASK);
        if (!TaskNames.isValid(task)) {
            throw new MalformedJobException(task == null ? "the job has no " + Headers.TASK + " property"
                    : TaskNames.problem(task));
        }
        String name = job.getStringProperty(Headers.BATCH_NAME);
        if (name != null && !OUTPUT_NAME.matcher(name).matches()) {
            throw new MalformedJobException("invalid " + Headers.BATCH_NAME + " '" + abbreviate(name)
                    + "': use letters, digits, '.', '-' and '_', not starting with '.'");
        }
        Integer chunkSize = chunkSize(job);
        byte[] items = items(job);
        long badLine = firstLineNotUtf8(items);
        if (badLine > 0) {
            throw new MalformedJobException((name != null ? name : "the job") + " line " + badLine
                    + ": not valid UTF-8 text");
        }
        message.removeHeaders("*");
        StartedBatch batch = batches.startJob(task, name, items, chunkSize, replyTo);
        batch.headers().forEach(message::setHeader);
        message.setBody(batch);
    }

    /** Where the job wants its answer, if it is a place the coordinator may send to. */
    private JobReplies.ReplyTarget replyTarget(jakarta.jms.Message job) throws JMSException, MalformedJobException {
        Destination to = job.getJMSReplyTo();
        if (to == null) {
            return null;
        }
        if (!mayAnswerAt(to)) {
            throw new MalformedJobException("JMSReplyTo " + abbreviate(String.valueOf(to)) + " refused: a job is "
                    + "answered at a temporary queue" + (replyPrefix.isEmpty() ? ""
                    : " or a queue whose name starts with '" + replyPrefix + "'") + " (procpool.jobs.reply-prefix)");
        }
        return new JobReplies.ReplyTarget(to,
                job.getJMSCorrelationID() != null ? job.getJMSCorrelationID() : job.getJMSMessageID());
    }

    private boolean mayAnswerAt(Destination to) throws JMSException {
        if (!(to instanceof Queue queue) || to instanceof Topic || queue.getQueueName() == null
                || queue.getQueueName().contains(",")) {
            return false;
        }
        if (to instanceof TemporaryQueue) {
            return true;
        }
        return !replyPrefix.isEmpty() && queue.getQueueName().startsWith(replyPrefix)
                && REPLY_QUEUE_NAME.matcher(queue.getQueueName()).matches();
    }

    private static Integer chunkSize(jakarta.jms.Message job) throws JMSException, MalformedJobException {
        if (!job.propertyExists(Headers.CHUNK_SIZE)) {
            return null;
        }
        int size;
        try {
            size = job.getIntProperty(Headers.CHUNK_SIZE);
        } catch (JMSException | NumberFormatException e) {
            throw new MalformedJobException("invalid " + Headers.CHUNK_SIZE + ": not a whole number");
        }
        if (size < 1) {
            throw new MalformedJobException("invalid " + Headers.CHUNK_SIZE + " " + size + ": must be at least 1");
        }
        return size;
    }

    private static byte[] items(jakarta.jms.Message job) throws JMSException, MalformedJobException {
        if (job instanceof TextMessage text) {
            return text.getText() == null ? new byte[0] : text.getText().getBytes(StandardCharsets.UTF_8);
        }
        if (job instanceof BytesMessage bytes) {
            bytes.reset(); // read from the start, also when read before (the dead-letter copy)
            byte[] body = new byte[(int) bytes.getBodyLength()];
            bytes.readBytes(body);
            return body;
        }
        throw new MalformedJobException("only text and bytes messages are jobs, this is a "
                + job.getClass().getSimpleName().replace("ActiveMQ", ""));
    }

    /** 1-based number of the first line of {@code bytes} that is not UTF-8, or 0 if all of it is. */
    static long firstLineNotUtf8(byte[] bytes) {
        CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(8192);
        while (true) {
            CoderResult result = strict.decode(in, out, true);
            if (result.isError()) {
                long line = 1;
                for (int i = 0; i < in.position(); i++) {
                    if (bytes[i] == '\n') {
                        line++;
                    }
                }
                return line;
            }
            if (result.isUnderflow()) {
                return 0;
            }
            out.clear();
        }
    }

    /** A batch the job had begun is failed (which answers its sender); the reason is recorded for the copy. */
    private void failStartedBatch(Exchange exchange) {
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Message message = exchange.getMessage();
        String reason;
        if (caught instanceof MalformedJobException || caught instanceof BatchRejectedException) {
            reason = caught.getMessage();
        } else {
            reason = BatchErrors.describe(caught, message.getHeader(Headers.SOURCE, String.class));
        }
        String batchId = message.getHeader(Headers.BATCH_ID, String.class);
        if (caught instanceof BatchRejectedException) {
            exchange.setProperty(ANSWERED, true); // failed and answered by the tracker already
        } else if (batchId != null) {
            batches.fail(batchId, reason);
            exchange.setProperty(ANSWERED, true);
        }
        message.setHeader(Headers.REJECT_REASON, reason);
    }

    /** The rejected job, as far as it is safe to copy (text or bytes body), with the reason. */
    private void toDeadLetter(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        String reason = message.getHeader(Headers.REJECT_REASON, String.class);
        jakarta.jms.Message job = exchange.getProperty(JOB, jakarta.jms.Message.class);
        if (job == null && message.getBody() instanceof jakarta.jms.Message received) {
            job = received;
        }
        Object body = "";
        String messageId = null;
        if (job != null) {
            messageId = job.getJMSMessageID();
            if (job.getJMSReplyTo() != null && mayAnswerAt(job.getJMSReplyTo())) {
                String correlation = job.getJMSCorrelationID() != null ? job.getJMSCorrelationID() : messageId;
                exchange.setProperty(REJECTED_REPLY_TO, new JobReplies.ReplyTarget(job.getJMSReplyTo(), correlation));
            }
            body = job instanceof TextMessage text ? text.getText()
                    : job instanceof BytesMessage ? items(job) : "";
        }
        message.removeHeaders("*");
        message.setBody(body == null ? "" : body);
        message.setHeader(Headers.REJECT_REASON, reason);
        if (messageId != null) {
            message.setHeader(Headers.ORIGINAL_MESSAGE_ID, messageId);
        }
    }

    /** After the dead-letter copy is safely sent: tells the sender, if it asked for an answer and has none yet. */
    private void answerRejected(Exchange exchange) {
        JobReplies.ReplyTarget target = exchange.getProperty(REJECTED_REPLY_TO, JobReplies.ReplyTarget.class);
        if (target != null && !exchange.getProperty(ANSWERED, false, Boolean.class)) {
            String reason = exchange.getMessage().getHeader(Headers.REJECT_REASON, String.class);
            try {
                replies.failure(target, "-", reason, "error: job rejected: " + reason + "\n");
            } catch (RuntimeException e) {
                // the sender is gone (its temporary queue with it): the dead-letter copy is the record; a rollback
                // here would only redeliver the job and copy it again
                LOG.warn("cannot answer the rejected job at {}: {}", target.destination(), e.toString());
            }
        }
    }

    /** A client's text in a reason: escaped and cut, so it can neither flood nor forge log lines. */
    private static String abbreviate(String text) {
        return ErrorTexts.printable(text, 80);
    }
}
