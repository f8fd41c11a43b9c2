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
            "Results are printed as the coordinator answers them, while the job runs; on a terminal, standard error "
                + "shows a progress bar (items done, rate, time left), elsewhere a progress line every 5 s "
                + "(--quiet: none).",
            "With --on-error skip, items the task rejects are skipped: their result lines are empty, and each is "
                + "listed on standard error as one JSON object (line, item, cause, workerPid, attempts, at), after "
                + "the line 'procpool submit: done with N failed items'.",
            "Exit status: 0 when every item succeeded or was skipped; 1 when the job failed (each failed item's line "
                + "and cause, the first 10, and the path of the full report go to standard error; results printed "
                + "before the failure stay printed) or the broker cannot be reached; 2 on a usage error (a missing "
                + "file, --chunk-size 0, an invalid --name) or when no answer came within --timeout.",
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

    @Option(names = "--name", paramLabel = "NAME",
            description = "Name of the batch in the coordinator's logs and errors (default: the input file's name).")
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

    @Option(names = "--on-error", paramLabel = "fail|skip",
            description = "What a rejected item does: fail the job (default: the task's procpool.task.<name>.on-error, "
                    + "else fail), or skip it (empty result line, listed on standard error).")
    String onError;

    @Option(names = "--max-errors", paramLabel = "N",
            description = "With --on-error skip: more than N failed items fail the job.")
    Long maxErrors;

    @Option(names = "--max-error-rate", paramLabel = "FRACTION",
            description = "With --on-error skip: more failed items than this share of the items (0 to 1) fail the job.")
    Double maxErrorRate;

    @Option(names = "--dead-chunk-wait-ms", paramLabel = "MS",
            description = "How long the job waits for a dead chunk (one that used all its attempts) to be replayed or "
                    + "discarded with procpool dlq; 0 fails it at once (default: the task's "
                    + "procpool.task.<name>.dead-chunk-wait-ms, else procpool.batch.dead-chunk-wait-ms).")
    Long deadChunkWaitMs;

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

    @Option(names = {"-q", "--quiet"},
            description = "No progress on standard error (by default a bar on a terminal, else a line every 5 s).")
    boolean quiet;

    @Option(names = {"-v", "--verbose"},
            description = "On a failed job, print its full report (with the worker's stack trace) on standard error.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        if (deadChunkWaitMs != null && deadChunkWaitMs < 0) {
            throw UsageErrors.of(spec.commandLine(), "--dead-chunk-wait-ms must be 0 or more, was " + deadChunkWaitMs);
        }
        SubmitChecks.check(spec.commandLine(), task, input, name, chunkSize, timeoutSeconds);
        Settings settings = parent.settings(Map.of());
        byte[] items = "-".equals(input) ? System.in.readAllBytes() : Files.readAllBytes(Path.of(input));
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ClientConfig client = ClientConfig.from(settings);
        String url = client.url(broker);
        try (Connection connection = BrokerClient.connect(settings, url);
             SubmitProgress progress = SubmitProgress.start(err, SubmitChecks.itemCount(items), quiet)) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TemporaryQueue replies = session.createTemporaryQueue();
            MessageConsumer consumer = session.createConsumer(replies);
            String batchName = name != null ? name : SubmitChecks.nameOf(input);
            JobMessage message = JobMessage.of(task, items).withBatchName(batchName).withChunkSize(chunkSize)
                    .withRecordFormat(recordFormat())
                    .withErrorPolicy(onError, maxErrors, maxErrorRate).withDeadChunkWait(deadChunkWaitMs);
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
                return answer(consumer, out, err, url, progress, cancellation);
            }
        }
    }

    private int answer(MessageConsumer consumer, PrintWriter out, PrintWriter err, String url,
                       SubmitProgress progress, JobCancellation cancellation) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutSeconds * 1000;
        boolean failedItemsShown = false;
        for (int part = 0; ; part++) {
            Message reply = timeoutSeconds > 0
                    ? consumer.receive(Math.max(1, deadline - System.currentTimeMillis())) : consumer.receive();
            if (reply == null) {
                progress.close();
                err.println("procpool submit: no complete answer from " + url + " within " + timeoutSeconds + " s");
                cancellation.cancel("gave up after " + timeoutSeconds + " s");
                return 2;
            }
            JobReply answer = JobReply.from(reply);
            if (answer.failed()) {
                out.flush();
                progress.close();
                FailedJobReport.print(err, answer.batchId(), answer.error(), answer.body(), verbose);
                return 1;
            }
            if (answer.part() != part) {
                err.println("procpool submit: answer part " + answer.part() + " arrived where part " + part
                        + " was expected");
                return 1;
            }
            boolean failedItems = answer.status() == JobReply.Status.FAILED_ITEMS;
            if (failedItems && !failedItemsShown) {
                out.flush();
                long failed = answer.failedItems() == null ? 0 : answer.failedItems();
                err.println("procpool submit: done with " + failed + " failed item" + (failed == 1 ? "" : "s"));
                failedItemsShown = true;
            }
            if (answer.itemCount() > 0) {
                progress.beforeOutput();
                PrintWriter to = failedItems ? err : out;
                to.print(answer.body());
                to.print('\n');
                // streamed: each part is on standard output as soon as it arrives, not when the job is done
                to.flush();
                if (!failedItems) {
                    progress.advance(answer.itemCount());
                }
            }
            if (answer.last()) {
                progress.close();
                out.flush();
                err.flush();
                return 0;
            }
        }
    }
}
