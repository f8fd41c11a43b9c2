package procpool.worker;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import procpool.protocol.ChunkMessage;
import procpool.protocol.Headers;
import procpool.task.TaskRegistry;

/** What adaptive chunk sizes learn from: each result says how long its worker worked on the chunk's items. */
class ChunkWorkTimeTest {

    @Test
    void aResultCarriesTheWorkTimeOfItsChunk() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            Exchange exchange = new DefaultExchange(context);
            new ChunkMessage("b1", "spin", 0, 0, 2, 1, "a.txt", false, null, "2000000\n2000000")
                    .writeTo(exchange.getMessage());

            new ChunkProcessor(TaskRegistry.load(null)).process(exchange);

            assertThat(exchange.getMessage().getHeader(Headers.WORK_NANOS, Long.class)).isPositive();
            assertThat(exchange.getMessage().getHeader(Headers.ITEM_COUNT, Integer.class)).isEqualTo(2);
        }
    }
}
