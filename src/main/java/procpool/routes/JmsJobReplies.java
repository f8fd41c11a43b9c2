package procpool.routes;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.jms.JmsConstants;

import procpool.batch.JobReplies;
import procpool.protocol.JobReply;

/**
 * Sends job answers to each job's {@code JMSReplyTo}: the results as ordered parts of at most
 * {@code partLines} lines each (a small job gets a single part), the last one marked; or a single failure reply.
 * Every reply carries the job's correlation id. Parts are streamed: sent while the batch runs, as soon as more than
 * {@code partLines} result lines are written in order, or the lines written so far (but the last) once
 * {@value #STREAM_EVERY_MS} ms have passed since the last part; so a failure reply may follow result parts
 * (numbered after them). Thread-safe; calls
 * for one batch come one at a time (under its monitor).
 */
public final class JmsJobReplies implements JobReplies {

    /** Nominal endpoint: each reply's real destination comes from its job. */
    private static final String ENDPOINT = "jms:queue:procpool.replies?jmsMessageType=Text";

    /** Results written but not yet answered wait at most this long for more to fill a part. */
    static final long STREAM_EVERY_MS = 1000;

    private final int partLines;
    private volatile ProducerTemplate template;
    /** How far the answer of each batch got: bytes of its output sent, the next part number, when. */
    private final Map<String, Stream> streams = new ConcurrentHashMap<>();

    private static final class Stream {
        long sentBytes;
        int nextPart;
        long lastSentNanos = System.nanoTime();
    }

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
    public void written(ReplyTarget target, String batchId, Path output, long writtenBytes) throws IOException {
        Stream stream = streams.computeIfAbsent(batchId, id -> new Stream());
        boolean due = System.nanoTime() - stream.lastSentNanos >= STREAM_EVERY_MS * 1_000_000;
        try (FileChannel file = FileChannel.open(output, StandardOpenOption.READ)) {
            file.position(stream.sentBytes);
            BufferedReader reader = new BufferedReader(new InputStreamReader(
                    boundedStream(file, writtenBytes - stream.sentBytes), StandardCharsets.UTF_8));
            // Whole parts at once, a short one only when the last part (or the start) is a while ago, so a slow
            // batch streams too. The last line written is always held back: the final part, marked last, is never
            // empty (unless the output is), and a quick job is answered as before, in parts of exactly partLines.
            long pending = countLines(output, stream.sentBytes, writtenBytes) - 1;
            long toSend = pending <= 0 ? 0 : due ? pending : pending - pending % partLines;
            while (toSend > 0) {
                int count = (int) Math.min(partLines, toSend);
                StringBuilder body = new StringBuilder();
                for (int i = 0; i < count; i++) {
                    String line = reader.readLine();
                    if (i > 0) {
                        body.append('\n');
                    }
                    body.append(line);
                    stream.sentBytes += line.getBytes(StandardCharsets.UTF_8).length + 1;
                }
                send(target, batchId, JobReply.results(batchId, target.correlationId(), stream.nextPart++, false,
                        count, body.toString()));
                stream.lastSentNanos = System.nanoTime();
                toSend -= count;
            }
        }
    }

    private static InputStream boundedStream(FileChannel file, long bytes) {
        InputStream in = Channels.newInputStream(file);
        return new InputStream() {
            private long left = bytes;

            @Override
            public int read() throws IOException {
                return left-- > 0 ? in.read() : -1;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int read = in.read(buffer, offset, (int) Math.min(length, left));
                left -= Math.max(read, 0);
                return read;
            }
        };
    }

    /** Line breaks in bytes {@code from} to {@code to} of {@code output}: whole result lines written there. */
    private static long countLines(Path output, long from, long to) throws IOException {
        long lines = 0;
        try (FileChannel file = FileChannel.open(output, StandardOpenOption.READ)) {
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(64 * 1024);
            long position = from;
            while (position < to) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), to - position));
                int read = file.read(buffer, position);
                if (read < 0) {
                    break;
                }
                for (int i = 0; i < read; i++) {
                    if (buffer.get(i) == '\n') {
                        lines++;
                    }
                }
                position += read;
            }
        }
        return lines;
    }

    @Override
    public void results(ReplyTarget target, String batchId, Path output) throws Exception {
        sendLines(target, batchId, output, true, null);
    }

    /**
     * The results as {@code done} parts (those not streamed yet), then the failed items' entries as
     * {@code failed-items} parts (one JSON object a line, as in an {@code .errors.jsonl} file), numbered on from the
     * results, each with the count of failed items; the last of these is the job's last reply.
     */
    @Override
    public void results(ReplyTarget target, String batchId, Path output, Path errors, long failedItems)
            throws Exception {
        sendLines(target, batchId, output, false, null);
        sendLines(target, batchId, errors, true, failedItems);
    }

    /**
     * Sends the lines of {@code file} not sent yet (results streamed while the batch ran are not sent again) in parts
     * numbered on from the last part sent, as results or, with {@code failedItems}, as failed items.
     */
    private void sendLines(ReplyTarget target, String batchId, Path path, boolean endsJob, Long failedItems)
            throws Exception {
        Stream stream = endsJob ? streams.remove(batchId) : streams.computeIfAbsent(batchId, id -> new Stream());
        long sentBytes = stream == null || failedItems != null ? 0 : stream.sentBytes;
        int part = stream == null ? 0 : stream.nextPart;
        try (FileChannel file = FileChannel.open(path, StandardOpenOption.READ)) {
            BufferedReader reader = new BufferedReader(new InputStreamReader(
                    boundedStream(file.position(sentBytes), file.size() - sentBytes), StandardCharsets.UTF_8));
            String line = reader.readLine();
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
                boolean last = endsJob && line == null;
                send(target, batchId, failedItems == null
                        ? JobReply.results(batchId, target.correlationId(), part++, last, count, body.toString())
                        : JobReply.failedItems(batchId, target.correlationId(), part++, last, count, failedItems,
                                body.toString()));
            } while (line != null);
        }
        if (stream != null && !endsJob) {
            stream.nextPart = part;
            stream.sentBytes = Files.size(path);
        }
    }

    @Override
    public void failure(ReplyTarget target, String batchId, String reason, String report) {
        Stream stream = streams.remove(batchId);
        JobReply failure = JobReply.failure(batchId, target.correlationId(), reason, report);
        if (stream != null && stream.nextPart > 0) {
            // after streamed result parts: numbered after them, so the part sequence stays whole
            failure = new JobReply(batchId, JobReply.Status.FAILED, stream.nextPart, true, 0, reason,
                    target.correlationId(), report, null);
        }
        send(target, batchId, failure);
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
