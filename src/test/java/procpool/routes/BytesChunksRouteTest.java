package procpool.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import jakarta.jms.BytesMessage;

import org.apache.camel.RoutesBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import procpool.batch.BatchTracker;
import procpool.protocol.MessageBodies;

/** By default chunks go as JMS bytes messages of UTF-8 text, and their results come back the same way. */
class BytesChunksRouteTest extends CoordinatorRouteTestSupport {

    @RegisterExtension
    static final BrokerAndWorker infra = new BrokerAndWorker(Map.of("procpool.batch.stall-timeout-ms", "1500"));

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
    void chunksGoAsUtf8BytesMessagesAndTheBatchCompletes() throws Exception {
        CaughtChunk caught = CaughtChunk.of(infra);

        assertThat(caught.chunk()).isInstanceOf(BytesMessage.class);
        BytesMessage chunk = (BytesMessage) caught.chunk();
        assertThat(MessageBodies.utf8(MessageBodies.bytes(chunk), "chunk")).isEqualTo("\u00e9");
        assertThat(caught.reply()).isEqualTo("\u00c9\nB");
    }
}
