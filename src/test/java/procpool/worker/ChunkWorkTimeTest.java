package procpool.worker;

import static org.assertj.core.api.Assertions.assertThat;


import org.apache.activemq.command.ActiveMQTextMessage;
import org.junit.jupiter.api.Test;

import procpool.protocol.ChunkMessage;
import procpool.protocol.Headers;
import procpool.task.TaskRegistry;

/** What adaptive chunk sizes learn from: each result says how long its worker worked on the chunk's items. */
class ChunkWorkTimeTest {

    @Test
    void aResultCarriesTheWorkTimeOfItsChunk() throws Exception {
        ActiveMQTextMessage chunk = new ActiveMQTextMessage();
        new ChunkMessage("b1", "spin", 0, 0, 2, 1, "a.txt", false, null, "2000000\n2000000").writeTo(chunk);

        jakarta.jms.Message result = new ChunkProcessor(TaskRegistry.load(null)).process(chunk).result();

        assertThat(result.getLongProperty(Headers.WORK_NANOS)).isPositive();
        assertThat(result.getIntProperty(Headers.ITEM_COUNT)).isEqualTo(2);
    }
}
