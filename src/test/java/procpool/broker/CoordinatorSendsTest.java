package procpool.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator's sends wait for the broker's answer even when they are non-persistent (its chunks on the embedded
 * broker): a send the broker refuses fails the sender, as a persistent send always did, instead of being dropped
 * unseen by a one-way send.
 */
class CoordinatorSendsTest {

    @TempDir
    Path dataDir;

    @Test
    void aNonPersistentSendTheBrokerRefusesFailsTheSender() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(BrokerConfig.local("sends", dataDir, true, 1 << 20, 10))) {
            JmsConnections.CoordinatorJms jms = JmsConnections.coordinator(broker.vmUrl(), null, null);
            try (Connection connection = jms.pool().createConnection()) {
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer producer = session.createProducer(session.createQueue("procpool.tasks"));
                producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);

                // the broker refuses every ObjectMessage (ObjectMessageRefusal)
                assertThatThrownBy(() -> producer.send(session.createObjectMessage("x")))
                        .isInstanceOf(JMSException.class).hasMessageContaining("ObjectMessage refused");
                producer.send(session.createTextMessage("a chunk"));
                assertThat(broker.queueStats("procpool.tasks").waiting()).isEqualTo(1);
            } finally {
                jms.close();
            }
        }
    }
}
