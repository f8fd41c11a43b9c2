package procpool.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import procpool.config.Settings;
import procpool.protocol.JobMessage;
import procpool.protocol.JobReply;

@Command(name = "submit", mixinStandardHelpOptions = true,
        header = "Send a batch to a running coordinator as a job message and print the ordered results.",
        description = {
            "Reads FILE (or standard input for '-'), one item per line, sends it to the coordinator's job queue and "
                + "prints one result per line on standard output, in input order, as the answer arrives.",
            "Exit status: 0 when every item succeeded; 1 when the job failed (the error, with line, item and cause, "
                + "goes to standard error) or the broker cannot be reached; 2 when no answer came within --timeout.",
            "Logs in with the client account if one is set, else the service account (PROCPOOL_BROKER_USERNAME / "
                + "PROCPOOL_BROKER_PASSWORD), else the password the coordinator keeps in "
                + "<procpool.broker.data-dir>/service-credentials.properties on this machine.",
            "Example: seq 1 1000 | procpool submit --task square -"})
final class SubmitCommand implements Callable<Integer> {

    @ParentCommand
    ProcpoolCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = {"-t", "--task"}, required = true, paramLabel = "TASK",
            description = "Task to run on every line (a registered name or a task class).")
    String task;

    @Parameters(index = "0", arity = "0..1", defaultValue = "-", paramLabel = "FILE|-",
            description = "Input file, or '-' for standard input (default).")
    String input;

    @Option(names = "--broker", paramLabel = "URL",
            description = "The coordinator's broker "
                    + "(default: procpool.broker.url, else tcp://127.0.0.1:<procpool.broker.port>).")
    String broker;

    @Option(names = "--name", paramLabel = "NAME", description = "Name of the batch in the coordinator's logs.")
    String name;

    @Option(names = "--chunk-size", paramLabel = "N", description = "Items per chunk (default: the coordinator's).")
    Integer chunkSize;

    /** The record formats a job may ask for ({@code procpoolRecordFormat}). */
    enum RecordFormatName { lines, csv, jsonl }

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "How the input is cut into items: ${COMPLETION-CANDIDATES} (default: by FILE's extension, "
                    + ".csv, .jsonl or .ndjson, else the task's procpool.task.<name>.format on the coordinator, else "
                    + "lines).")
    RecordFormatName format;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "0",
            description = "Give up after this many seconds without the full answer; 0 waits for ever (default).")
    long timeoutSeconds;

    @Option(names = "--detach", description = "Send the job and return: the output goes to the coordinator's "
            + "outbox as for a file batch (outbox/<--name>, default job-<batch>.txt). Without it, Ctrl-C, SIGTERM "
            + "and --timeout cancel the job.")
    boolean detach;

    /** The record format to ask for: {@code --format}, else the input file's extension when it names one. */
    private String recordFormat() {
        if (format != null) {
            return format.name();
        }
        String byName = "-".equals(input) ? "lines" : procpool.format.RecordSettings.byExtension(input);
        return "lines".equals(byName) ? null : byName;
    }

    @Override
    public Integer call() throws Exception {
        Settings settings = parent.settings(Map.of());
        byte[] items = "-".equals(input) ? System.in.readAllBytes() : Files.readAllBytes(Path.of(input));
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ClientConfig client = ClientConfig.from(settings);
        String url = client.url(broker);
        try (Connection connection = BrokerClient.connect(settings, url)) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TemporaryQueue replies = session.createTemporaryQueue();
            MessageConsumer consumer = session.createConsumer(replies);
            JobMessage message = JobMessage.of(task, items).withBatchName(name).withChunkSize(chunkSize)
                    .withRecordFormat(recordFormat());
            if (detach) {
                Message job = message.toJms(session);
                session.createProducer(session.createQueue(client.queues().jobs())).send(job);
                err.println("procpool submit: job sent (" + job.getJMSMessageID() + "); its output goes to the "
                        + "coordinator's outbox");
                return 0;
            }
            String correlationId = UUID.randomUUID().toString();
            Message job = message.withReplyTo(replies, correlationId).toJms(session);
            try (JobCancellation cancellation = new JobCancellation(connection, client.queues().status(),
                    correlationId, err)) {
                session.createProducer(session.createQueue(client.queues().jobs())).send(job);
                return answer(consumer, out, err, url, cancellation);
            }
        }
    }

    private int answer(MessageConsumer consumer, PrintWriter out, PrintWriter err, String url,
                       JobCancellation cancellation) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutSeconds * 1000;
        for (int part = 0; ; part++) {
            Message reply = timeoutSeconds > 0
                    ? consumer.receive(Math.max(1, deadline - System.currentTimeMillis())) : consumer.receive();
            if (reply == null) {
                err.println("procpool submit: no complete answer from " + url + " within " + timeoutSeconds + " s");
                cancellation.cancel("gave up after " + timeoutSeconds + " s");
                return 2;
            }
            JobReply answer = JobReply.from(reply);
            if (answer.failed()) {
                out.flush();
                err.println("procpool submit: " + answer.error());
                err.print(answer.body());
                err.flush();
                return 1;
            }
            if (answer.part() != part) {
                err.println("procpool submit: answer part " + answer.part() + " arrived where part " + part
                        + " was expected");
                return 1;
            }
            if (answer.itemCount() > 0) {
                out.print(answer.body());
                out.print('\n');
            }
            if (answer.last()) {
                out.flush();
                return 0;
            }
        }
    }
}
