package procpool.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.activemq.command.ActiveMQTextMessage;
import org.junit.jupiter.api.Test;

import procpool.protocol.ChunkMessage;
import procpool.protocol.ItemFailure;
import procpool.protocol.ResultMessage;
import procpool.task.ChunkTask;
import procpool.task.RetryableTaskException;
import procpool.task.TaskRegistry;

/** A {@link ChunkTask} in the worker's {@link ChunkProcessor}: one call per chunk, results in order, failures whole. */
class ChunkTaskRunTest {

    /** Upper-cases a chunk, counting its calls. */
    static final class Shout implements ChunkTask {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public String name() {
            return "shout";
        }

        @Override
        public List<String> applyChunk(List<String> items) {
            calls.incrementAndGet();
            return items.stream().map(String::toUpperCase).toList();
        }
    }

    /** Fails every chunk as a whole. */
    static final class Broken implements ChunkTask {
        final boolean retryable;

        Broken(boolean retryable) {
            this.retryable = retryable;
        }

        @Override
        public String name() {
            return "broken";
        }

        @Override
        public List<String> applyChunk(List<String> items) throws Exception {
            if (retryable) {
                throw new RetryableTaskException("the service is down");
            }
            throw new IllegalArgumentException("printed 2 lines for 3 items");
        }
    }

    /** Gives one result too few. */
    static final class Short implements ChunkTask {
        @Override
        public String name() {
            return "short";
        }

        @Override
        public List<String> applyChunk(List<String> items) {
            return items.subList(1, items.size());
        }
    }

    private static ResultMessage run(ChunkProcessor processor, String task, long firstItem, boolean json,
                                     String... items) throws Exception {
        ActiveMQTextMessage chunk = new ActiveMQTextMessage();
        new ChunkMessage("b1", task, 3, firstItem, items.length, 10, "x.txt", json, null, String.join("\n", items))
                .writeTo(chunk);
        return ResultMessage.from(processor.process(chunk).result());
    }

    private static ChunkProcessor processorOf(ChunkTask task) {
        return new ChunkProcessor(TaskRegistry.load(null).with(List.of(task)));
    }

    @Test
    void aChunkTaskGetsTheWholeChunkInOneCallAndItsResultsInOrder() throws Exception {
        Shout shout = new Shout();

        ResultMessage result = run(processorOf(shout), "shout", 100, false, "a", "b c", "");

        assertThat(result.failed()).isFalse();
        assertThat(result.body()).isEqualTo("A\nB C\n");
        assertThat(shout.calls).hasValue(1);
    }

    @Test
    void jsonItemsOfTheJavaApiReachAChunkTaskAsTheirTextAndComeBackAsJson() throws Exception {
        ResultMessage result = run(processorOf(new Shout()), "shout", 0, true, "\"a\\nb\"", "\"x\"");

        assertThat(result.body()).isEqualTo("\"A\\nB\"\n\"X\"");
    }

    @Test
    void aFailedChunkFailsOnceOnItsFirstLineNamingAllItsLinesAndTheCause() throws Exception {
        ResultMessage result = run(processorOf(new Broken(false)), "broken", 100, false, "a", "b", "c");

        assertThat(result.failures()).extracting(ItemFailure::text).containsExactly("line 101: item \"a\": the chunk "
                + "of lines 101-103 failed as a whole: printed 2 lines for 3 items");
    }

    @Test
    void aChunkTaskGivingTheWrongNumberOfResultsFailsItsChunk() throws Exception {
        ResultMessage result = run(processorOf(new Short()), "short", 0, false, "a", "b");

        assertThat(result.failures()).extracting(ItemFailure::cause).containsExactly("the chunk of lines 1-2 failed "
                + "as a whole: IllegalStateException: task short returned 1 results for 2 items");
    }

    @Test
    void aRetryableChunkFailureWithAttemptsLeftRollsTheChunkBack() {
        ChunkProcessor processor = new ChunkProcessor(TaskRegistry.load(null).with(List.of(new Broken(true))),
                Heartbeat.NONE, 3);

        assertThatThrownBy(() -> run(processor, "broken", 0, false, "a"))
                .isInstanceOf(ChunkProcessor.RetryChunkException.class)
                .hasMessageContaining("the chunk of line 1 failed (attempt 1 of 3), retrying it");
    }
}
