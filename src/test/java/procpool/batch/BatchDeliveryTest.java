package procpool.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import procpool.batch.ErrorReport.LineError;
import procpool.chunk.ChunkSizing;
import procpool.task.TaskRegistry;

/** The end of a batch either way, on real folders, without the tracker deciding when. */
class BatchDeliveryTest {

    @TempDir
    Path root;
    Path inbox;
    Path outbox;
    BatchFolders folders;
    final List<String> answers = new ArrayList<>();
    BatchDelivery delivery;
    BatchIntake intake;

    /** Records what a job would have been answered. */
    private final JobReplies replies = new JobReplies() {
        @Override
        public void results(ReplyTarget target, String batchId, Path output) throws Exception {
            answers.add("results " + batchId + ": " + Files.readString(output));
        }

        @Override
        public void failure(ReplyTarget target, String batchId, String reason, String report) {
            answers.add("failure " + batchId + ": " + reason);
        }
    };

    @BeforeEach
    void folders() throws Exception {
        inbox = root.resolve("inbox");
        outbox = root.resolve("outbox");
        folders = new BatchFolders(inbox, outbox);
        delivery = new BatchDelivery(folders, replies);
        intake = new BatchIntake(folders, TaskRegistry.load(null), ChunkSizing.of("2", 1, 100), delivery, 16,
                id -> false);
    }

    private Batch begun(String relative, String content) throws Exception {
        Path file = inbox.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return intake.begin(intake.claim(file, false));
    }

    @Test
    void aDeliveredBatchHasItsOutputInTheOutboxAndItsInputInDone() throws Exception {
        Batch batch = begun("square/a.txt", "1\n2\n");
        batch.writer.accept(0, "1\n4", 2);

        assertThat(delivery.deliver(batch)).isNull();

        assertThat(Files.readString(outbox.resolve("a.txt"))).isEqualTo("1\n4\n");
        assertThat(inbox.resolve(".done/square/a.txt")).exists();
    }

    @Test
    void anInputThatChangedSinceItWasPickedUpIsNotDelivered() throws Exception {
        Batch batch = begun("square/a.txt", "1\n2\n");
        batch.writer.accept(0, "1\n4", 2);
        Files.writeString(batch.claimedInput, "1\n2\n3\n");

        List<LineError> problem = delivery.deliver(batch);

        assertThat(problem).singleElement().extracting(LineError::text).asString().startsWith("square/a.txt: ");
        assertThat(outbox.resolve("a.txt")).doesNotExist();
    }

    @Test
    void aJobWithAReplyTargetIsAnsweredByMessageAndLeavesNoFiles() throws Exception {
        Batch batch = intake.job("square", "j.txt", "3\n".getBytes(), null,
                new JobReplies.ReplyTarget("queue://answers", "c1"));
        batch.writer.accept(0, "9", 1);

        assertThat(delivery.deliver(batch)).isNull();

        assertThat(answers).containsExactly("results " + batch.id + ": 9\n");
        assertThat(outbox.resolve("j.txt")).doesNotExist();
        assertThat(batch.claimedInput).doesNotExist();
    }

    @Test
    void aFailedBatchHasItsErrorReportWrittenItsInputInFailedAndNoPartialOutput() throws Exception {
        Batch batch = begun("square/a.txt", "1\nx\n");
        batch.writer.accept(0, "1", 1);

        delivery.fail(batch, List.of(new LineError(0, "a.txt line 2: not an integer")));

        assertThat(Files.readString(outbox.resolve("a.txt.error"))).startsWith("error: a.txt line 2: not an integer\n")
                .contains("batch: " + batch.id + "\n", "task: square\n");
        assertThat(inbox.resolve(".failed/square/a.txt")).exists();
        try (var files = Files.list(outbox)) {
            assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("a.txt.error");
        }
    }

    @Test
    void aFailedJobWithAReplyTargetIsAnsweredByMessage() throws Exception {
        Batch batch = intake.job("square", "j.txt", "x\n".getBytes(), null,
                new JobReplies.ReplyTarget("queue://answers", "c1"));

        delivery.fail(batch, List.of(new LineError(0, "j.txt line 1: not an integer")));

        assertThat(answers).containsExactly("failure " + batch.id + ": j.txt line 1: not an integer");
        assertThat(outbox.resolve("j.txt.error")).doesNotExist();
    }

    @Test
    void aRejectedInputIsMovedToFailedWithAnErrorReportNamingNoBatch() throws Exception {
        Path file = Files.writeString(Files.createDirectories(inbox.resolve("square")).resolve("b.txt"), "1\n");

        delivery.reject(file, Path.of("square/b.txt"), "square/b.txt: refused");

        assertThat(Files.readString(outbox.resolve("b.txt.error"))).startsWith("error: square/b.txt: refused\n")
                .contains("batch: -\n", "task: -\n");
        assertThat(inbox.resolve(".failed/square/b.txt")).exists();
    }
}
