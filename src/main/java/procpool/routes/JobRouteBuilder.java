package procpool.routes;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.TextMessage;

import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;

import procpool.batch.BatchRejectedException;
import procpool.batch.BatchTracker;
import procpool.batch.JobReplies;
import procpool.chunk.ChunkHeaders;
import procpool.chunk.ChunkReader;

/**
 * Job routes: a job message (text or bytes, one item per line, task in {@code procpoolTask}) becomes a batch like
 * an inbox file. The message is acknowledged once its items are on disk; the batch then goes to the batch sender.
 * The raw JMS message is read ({@code mapJmsMessage=false}) and only the documented properties are looked at, so
 * nothing a sender sets can steer Camel. A malformed job goes to {@code DLQ.<jobs queue>} with the reason in
 * {@code procpoolRejectReason} (and, if it has a reply-to, a failure reply).
 */
public final class JobRouteBuilder extends RouteBuilder {

    private static final Pattern TASK_NAME = Pattern.compile("[A-Za-z0-9_.$-]{1,200}");
    private static final String REJECTED_REPLY_TO = "procpoolRejectedReplyTo";
    private static final Pattern OUTPUT_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}");

    private final BatchTracker batches;
    private final JmsJobReplies replies;

    public JobRouteBuilder(BatchTracker batches, JmsJobReplies replies) {
        this.batches = batches;
        this.replies = replies;
    }

    @Override
    public void configure() {
        replies.useContext(getContext());

        onException(MalformedJobException.class).handled(true)
                .process(this::toDeadLetter)
                .to("jms:queue:DLQ.{{procpool.queue.jobs}}")
                .process(this::answerRejected)
                .log(LoggingLevel.WARN, "job rejected, moved to DLQ.{{procpool.queue.jobs}}: "
                        + "${header." + JobHeaders.REJECT_REASON + "}");
        // failed, recorded and answered by the tracker already
        onException(BatchRejectedException.class).handled(true);

        from("jms:queue:{{procpool.queue.jobs}}"
                + "?mapJmsMessage=false&disableReplyTo=true"
                + "&transacted=true&lazyCreateTransactionManager=false&cacheLevelName=CACHE_CONSUMER")
                .routeId("jobs")
                .process(this::startJob)
                .to(ChunkSenderRouteBuilder.BATCHES);
    }

    private void startJob(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        jakarta.jms.Message job = message.getBody(jakarta.jms.Message.class);
        String task = job.getStringProperty(JobHeaders.TASK);
        if (task == null || !TASK_NAME.matcher(task).matches()) {
            throw new MalformedJobException(task == null ? "the job has no " + JobHeaders.TASK + " property"
                    : "invalid task name '" + abbreviate(task) + "'");
        }
        String name = job.getStringProperty(JobHeaders.BATCH_NAME);
        if (name != null && !OUTPUT_NAME.matcher(name).matches()) {
            throw new MalformedJobException("invalid " + JobHeaders.BATCH_NAME + " '" + abbreviate(name)
                    + "': use letters, digits, '.', '-' and '_', not starting with '.'");
        }
        Integer chunkSize = chunkSize(job);
        byte[] items = items(job);
        JobReplies.ReplyTarget replyTo = job.getJMSReplyTo() == null ? null : new JobReplies.ReplyTarget(
                job.getJMSReplyTo(), job.getJMSCorrelationID() != null ? job.getJMSCorrelationID() : job.getJMSMessageID());
        message.removeHeaders("*");
        BatchTracker.Started batch = batches.startJob(task, name, items, chunkSize, replyTo);
        message.setHeader(ChunkHeaders.BATCH_ID, batch.batchId());
        message.setHeader(ChunkHeaders.TASK, batch.task());
        message.setHeader(ChunkHeaders.SOURCE, batch.source());
        message.setBody(new ChunkReader(batch.input(), batch.chunkSize()));
    }

    private static Integer chunkSize(jakarta.jms.Message job) throws JMSException, MalformedJobException {
        if (!job.propertyExists(JobHeaders.CHUNK_SIZE)) {
            return null;
        }
        int size;
        try {
            size = job.getIntProperty(JobHeaders.CHUNK_SIZE);
        } catch (JMSException | NumberFormatException e) {
            throw new MalformedJobException("invalid " + JobHeaders.CHUNK_SIZE + ": not a whole number");
        }
        if (size < 1) {
            throw new MalformedJobException("invalid " + JobHeaders.CHUNK_SIZE + " " + size + ": must be at least 1");
        }
        return size;
    }

    private static byte[] items(jakarta.jms.Message job) throws JMSException, MalformedJobException {
        if (job instanceof TextMessage text) {
            return text.getText() == null ? new byte[0] : text.getText().getBytes(StandardCharsets.UTF_8);
        }
        if (job instanceof BytesMessage bytes) {
            byte[] body = new byte[(int) bytes.getBodyLength()];
            bytes.readBytes(body);
            return body;
        }
        throw new MalformedJobException("only text and bytes messages are jobs, this is a "
                + job.getClass().getSimpleName().replace("ActiveMQ", ""));
    }

    /** The rejected job, as far as it is safe to copy (text or bytes body), with the reason. */
    private void toDeadLetter(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        String reason = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class).getMessage();
        Object body = message.getBody();
        String messageId = null;
        if (body instanceof jakarta.jms.Message job) {
            messageId = job.getJMSMessageID();
            if (job.getJMSReplyTo() != null) {
                String correlation = job.getJMSCorrelationID() != null ? job.getJMSCorrelationID() : messageId;
                exchange.setProperty(REJECTED_REPLY_TO, new JobReplies.ReplyTarget(job.getJMSReplyTo(), correlation));
            }
            body = job instanceof TextMessage text ? text.getText()
                    : job instanceof BytesMessage ? items(job) : "";
        }
        message.removeHeaders("*");
        message.setBody(body == null ? "" : body);
        message.setHeader(JobHeaders.REJECT_REASON, reason);
        if (messageId != null) {
            message.setHeader("procpoolOriginalMessageId", messageId);
        }
    }

    /** After the dead-letter copy is safely sent: tells the sender, if it asked for an answer. */
    private void answerRejected(Exchange exchange) {
        JobReplies.ReplyTarget target = exchange.getProperty(REJECTED_REPLY_TO, JobReplies.ReplyTarget.class);
        if (target != null) {
            String reason = exchange.getMessage().getHeader(JobHeaders.REJECT_REASON, String.class);
            replies.failure(target, "-", reason, "error: job rejected: " + reason + "\n");
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }
}
