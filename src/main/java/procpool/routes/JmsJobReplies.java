package procpool.routes;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.jms.JmsConstants;

import procpool.batch.JobReplies;
import procpool.protocol.JobReply;

/**
 * Sends job answers to each job's {@code JMSReplyTo}: the results as ordered parts of at most
 * {@code partLines} lines each (a small job gets a single part), the last one marked; or a single failure reply.
 * Every reply carries the job's correlation id. Thread-safe.
 */
public final class JmsJobReplies implements JobReplies {

    /** Nominal endpoint: each reply's real destination comes from its job. */
    private static final String ENDPOINT = "jms:queue:procpool.replies?jmsMessageType=Text";

    private final int partLines;
    private volatile ProducerTemplate template;

    public JmsJobReplies(int partLines) {
        if (partLines < 1) {
            throw new IllegalArgumentException("procpool.jobs.reply-part-lines must be at least 1, was " + partLines);
        }
        this.partLines = partLines;
    }

    /** Called by the job route once Camel is there. */
    void useContext(CamelContext context) {
        template = context.createProducerTemplate();
    }

    @Override
    public void results(ReplyTarget target, String batchId, Path output) throws Exception {
        try (BufferedReader reader = Files.newBufferedReader(output, StandardCharsets.UTF_8)) {
            String line = reader.readLine();
            int part = 0;
            do {
                StringBuilder body = new StringBuilder();
                int count = 0;
                while (line != null && count < partLines) {
                    if (count > 0) {
                        body.append('\n');
                    }
                    body.append(line);
                    count++;
                    line = reader.readLine();
                }
                send(target, batchId, JobReply.results(batchId, target.correlationId(), part++, line == null, count,
                        body.toString()));
            } while (line != null);
        }
    }

    @Override
    public void failure(ReplyTarget target, String batchId, String reason, String report) {
        send(target, batchId, JobReply.failure(batchId, target.correlationId(), reason, report));
    }

    private void send(ReplyTarget target, String batchId, JobReply reply) {
        Exception failed = template.send(ENDPOINT, exchange -> {
            reply.writeTo(exchange.getMessage());
            exchange.getMessage().setHeader(JmsConstants.JMS_DESTINATION, target.destination());
        }).getException();
        if (failed != null) {
            throw new IllegalStateException("cannot answer batch " + batchId + " at " + target.destination() + ": "
                    + failed, failed);
        }
    }
}
