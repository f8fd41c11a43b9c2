package procpool.worker;

import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;

/**
 * A result travels as its chunk did: persistent or not. The coordinator chooses for its chunks
 * ({@code procpool.chunk.persistent}): in memory on its embedded broker, whose restart loses both alike and resends
 * the chunk, on disk on an external broker, which keeps both for a coordinator that restarts. A chunk whose mode is
 * unknown is answered persistent.
 */
final class ResultDelivery {

    private ResultDelivery() {
    }

    /** {@link DeliveryMode#NON_PERSISTENT} for a non-persistent chunk, else {@link DeliveryMode#PERSISTENT}. */
    static int of(Message chunk) throws JMSException {
        return chunk.getJMSDeliveryMode() == DeliveryMode.NON_PERSISTENT ? DeliveryMode.NON_PERSISTENT
                : DeliveryMode.PERSISTENT;
    }
}
