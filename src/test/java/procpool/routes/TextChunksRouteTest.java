package procpool.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import jakarta.jms.TextMessage;

import org.apache.camel.RoutesBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import procpool.batch.BatchTracker;

/** With {@code procpool.chunk.message-type=text} chunks go as JMS text messages, for workers that read only those. */
class TextChunksRouteTest extends CoordinatorRouteTestSupport {

    @RegisterExtension
    static final BrokerAndWorker infra = new BrokerAndWorker(
            Map.of("procpool.chunk.message-type", "text", "procpool.batch.stall-timeout-ms", "1500"));

    @Override
    BrokerAndWorker infra() {
        return infra;
    }

    @Override
    RoutesBuilder[] coordinatorRoutes(BatchTracker batches, JmsJobReplies replies) {
        return new RoutesBuilder[] {new JobRouteBuilder(batches, replies), new ChunkSenderRouteBuilder(batches),
            new ResultsRouteBuilder(batches), new StallRouteBuilder(batches)};
    }

    @Test
    void chunksGoAsTextMessagesAndTheBatchCompletes() throws Exception {
        CaughtChunk caught = CaughtChunk.of(infra);

        assertThat(caught.chunk()).isInstanceOf(TextMessage.class);
        assertThat(((TextMessage) caught.chunk()).getText()).isEqualTo("\u00e9");
        assertThat(caught.reply()).isEqualTo("\u00c9\nB");
    }
}
