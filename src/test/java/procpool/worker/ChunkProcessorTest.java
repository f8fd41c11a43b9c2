package procpool.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import jakarta.jms.BytesMessage;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;

import org.apache.activemq.command.ActiveMQBytesMessage;
import org.apache.activemq.command.ActiveMQTextMessage;
import org.junit.jupiter.api.Test;

import procpool.protocol.ChunkMessage;
import procpool.protocol.Headers;
import procpool.protocol.ItemFailure;
import procpool.protocol.MessageBodies;
import procpool.protocol.ResultMessage;
import procpool.task.Task;
import procpool.task.TaskRegistry;

/** How the worker turns a chunk into its result: each item's result in order, bytes for bytes, text for text. */
class ChunkProcessorTest {

    /** Returns the item after {@code "="}, or fails an item starting {@code "bad"}: results chosen by the test. */
    static final class Say implements Task {
        @Override
        public String name() {
            return "say";
        }

        @Override
        public String apply(String item) {
            if (item.startsWith("bad")) {
                throw new IllegalArgumentException("not sayable: " + item);
            }
            return item.substring(item.indexOf('=') + 1).replace("\\n", "\n").replace("\\r", "\r");
        }
    }

    final ChunkProcessor processor = new ChunkProcessor(TaskRegistry.load(null).with(List.of(new Say())));

    private static ChunkMessage chunk(String task, String... items) {
        return new ChunkMessage("b1", task, 2, 10, items.length, null, "x.txt", false, null,
                String.join("\n", items));
    }

    private static BytesMessage asBytes(ChunkMessage chunk, String onError) throws Exception {
        ActiveMQTextMessage text = new ActiveMQTextMessage();
        chunk.writeTo(text);
        ActiveMQBytesMessage bytes = new ActiveMQBytesMessage();
        bytes.setProperties(text.getProperties());
        if (onError != null) {
            bytes.setStringProperty(Headers.ON_ERROR, onError);
        }
        bytes.writeBytes(chunk.body().getBytes(StandardCharsets.UTF_8));
        bytes.reset();
        return bytes;
    }

    private Message answer(ChunkMessage chunk, String onError) throws Exception {
        return processor.process(asBytes(chunk, onError)).result();
    }

    private static String body(Message result) throws Exception {
        return new String(MessageBodies.bytes((BytesMessage) result), StandardCharsets.UTF_8);
    }

    @Test
    void aChunkOfBytesIsAnsweredWithEachItemsResultInOrderAsUtf8Bytes() throws Exception {
        Message result = answer(chunk("square", "1", "-3", " 12 ", "3037000500"), null);

        assertThat(result).isInstanceOf(BytesMessage.class);
        assertThat(body(result)).isEqualTo("1\n9\n144\n9223372037000250000");
    }

    @Test
    void resultsBeyondAsciiAndBeyondTheFirstPlaneKeepEveryCharacter() throws Exception {
        Message result = answer(chunk("say", "=plain", "=straße ✓", "=𝄞 clef", "=", "=mixed é then ascii"), null);

        assertThat(body(result)).isEqualTo("plain\nstraße ✓\n𝄞 clef\n\nmixed é then ascii");
    }

    @Test
    void resultsMuchLongerThanTheirItemsAreAllThere() throws Exception {
        String longResult = "=" + "x".repeat(100_000);
        Message result = answer(chunk("say", longResult, "=y", longResult + "é"), null);

        assertThat(body(result)).isEqualTo("x".repeat(100_000) + "\ny\n" + "x".repeat(100_000) + "é");
    }

    @Test
    void aChunkOfTextIsAnsweredAsText() throws Exception {
        ActiveMQTextMessage text = new ActiveMQTextMessage();
        chunk("say", "=a", "=ü").writeTo(text);

        Message result = processor.process(text).result();

        assertThat(result).isInstanceOf(TextMessage.class);
        assertThat(((TextMessage) result).getText()).isEqualTo("a\nü");
    }

    @Test
    void aResultWithALineBreakFailsItsItemNamingTheTask() throws Exception {
        ResultMessage result = ResultMessage.from(answer(chunk("say", "=fine", "=two\\nlines", "=cr\\rhere"), null));

        assertThat(result.failures()).extracting(ItemFailure::index).containsExactly(11L, 12L);
        assertThat(result.failures().get(0).cause())
                .isEqualTo("IllegalStateException: task say returned a result with a line break; a result must be "
                        + "one line");
        assertThat(result.body()).isEmpty();
    }

    @Test
    void underSkipAFailedItemIsAnEmptyLineAndTheOtherResultsKeepTheirLines() throws Exception {
        Message answer = answer(chunk("say", "=a", "bad", "=two\\nlines", "=é", "bad again", "=z"),
                Headers.ON_ERROR_SKIP);

        assertThat(body(answer)).isEqualTo("a\n\n\né\n\nz");
        assertThat(ResultMessage.from(answer).failures()).extracting(ItemFailure::index)
                .containsExactly(11L, 12L, 14L);
    }

    @Test
    void underFailEveryBadItemIsNamedAndNoResultIsSent() throws Exception {
        ResultMessage result = ResultMessage.from(answer(chunk("say", "bad1", "=ok", "=x\\ny", "bad2"), null));

        assertThat(result.failures()).extracting(ItemFailure::index).containsExactly(10L, 12L, 13L);
        assertThat(result.body()).isEmpty();
    }

    @Test
    void resultsTooBigForOneBrokerMessageFailTheirChunkNamingItInsteadOfBreakingTheConnection() throws Exception {
        // a frame limit of 808 bytes keeps an eighth for the message's headers: 707 bytes for results; these are 710
        ChunkProcessor small = new ChunkProcessor(TaskRegistry.load(null).with(List.of(new Say())), Heartbeat.NONE,
                ItemWatchdog.NONE, 1, 808);
        String item = "=" + "r".repeat(236);

        ResultMessage result = ResultMessage.from(small.process(asBytes(chunk("say", item, item, item), null))
                .result());

        assertThat(result.failures()).singleElement().satisfies(failure -> {
            assertThat(failure.index()).isEqualTo(10L);
            assertThat(failure.cause()).isEqualTo("the results of chunk 2 (items 11 to 13) are 710 bytes, more than "
                    + "one message to the broker may carry (procpool.broker.max-frame-size): give the batch a smaller "
                    + "chunk size, or raise the limit");
        });
        assertThat(result.body()).isEmpty();
    }

    @Test
    void resultsWithinTheLimitAreSentAsTheyAre() throws Exception {
        ChunkProcessor small = new ChunkProcessor(TaskRegistry.load(null).with(List.of(new Say())), Heartbeat.NONE,
                ItemWatchdog.NONE, 1, 808);
        String item = "=" + "r".repeat(235);

        Message result = small.process(asBytes(chunk("say", item, item, item), null)).result();

        assertThat(ResultMessage.from(result).failures()).isEmpty();
        assertThat(body(result)).hasSize(707);
    }
}
