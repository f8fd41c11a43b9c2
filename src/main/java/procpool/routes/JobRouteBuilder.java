package procpool.routes;

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
import procpool.batch.ErrorPolicy;
import procpool.batch.JobReplies;
import procpool.batch.StartedBatch;
import procpool.chunk.ErrorTexts;
import procpool.protocol.Headers;
import procpool.protocol.JobMessage;
import procpool.protocol.MalformedMessageException;

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
        jakarta.jms.Message received = message.getBody(jakarta.jms.Message.class);
        exchange.setProperty(JOB, received);
        checkReplyTo(received.getJMSReplyTo());
        JobMessage job = JobMessage.from(received);
        JobReplies.ReplyTarget replyTo = job.replyTo() == null ? null
                : new JobReplies.ReplyTarget(job.replyTo(), job.correlationId());
        message.removeHeaders("*");
        ErrorPolicy policy = job.onError() == null ? null
                : new ErrorPolicy("skip".equals(job.onError()), job.maxErrors(), job.maxErrorRate());
        StartedBatch batch = batches.startJob(job.task(), job.batchName(), job.items(), job.chunkSize(), replyTo,
                job.recordFormat(), policy);
        if (job.deadChunkWaitMillis() != null) {
            batches.waitForDeadChunks(batch.batchId(), job.deadChunkWaitMillis());
        }
        batch.headers().forEach(message::setHeader);
        message.setBody(batch);
    }

    /** Refuses a reply-to the coordinator may not send to (any other than a temporary queue or one by prefix). */
    private void checkReplyTo(Destination to) throws JMSException, MalformedJobException {
        if (to != null && !mayAnswerAt(to)) {
            throw new MalformedJobException("JMSReplyTo " + abbreviate(String.valueOf(to)) + " refused: a job is "
                    + "answered at a temporary queue" + (replyPrefix.isEmpty() ? ""
                    : " or a queue whose name starts with '" + replyPrefix + "'") + " (procpool.jobs.reply-prefix)");
        }
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

    /** A batch the job had begun is failed (which answers its sender); the reason is recorded for the copy. */
    private void failStartedBatch(Exchange exchange) {
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Message message = exchange.getMessage();
        String reason;
        if (caught instanceof MalformedJobException || caught instanceof MalformedMessageException
                || caught instanceof BatchRejectedException) {
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
                    : job instanceof BytesMessage ? JobMessage.items(job) : "";
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
