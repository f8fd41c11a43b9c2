package procpool.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.broker.BrokerRegistry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import procpool.batch.SmallDisk;

class EmbeddedBrokerTest {

    @TempDir
    Path dataDir;

    @Test
    void listensOnTheRequestedLoopbackAddressAndAFreePort() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(BrokerConfig.local("listen-test", dataDir, false, 1024, 10))) {
            assertThat(broker.port()).isPositive();
            assertThat(broker.vmUrl()).isEqualTo("vm://listen-test?create=false");
        }
    }

    @Test
    @Timeout(30)
    void aSecondBrokerOnTheSameStoreFailsAtOnceInsteadOfWaitingForTheLock() throws Exception {
        try (EmbeddedBroker first = EmbeddedBroker.start(BrokerConfig.local("lock-a", dataDir, true, 1024, 10))) {
            assertThatThrownBy(() -> EmbeddedBroker.start(BrokerConfig.local("lock-b", dataDir, true, 1024, 10)))
                    .hasMessageContaining("cannot start the embedded broker")
                    .hasMessageContaining("could not be locked");
        }
    }

    @Test
    @Timeout(60)
    void aStoreThatCannotBeWrittenStopsTheBrokerAndSaysWhy() throws Exception {
        Path store = dataDir.resolve("store");
        try (SmallDisk disk = SmallDisk.mount(store, "64m");
             EmbeddedBroker broker = EmbeddedBroker.start(BrokerConfig.local("full-store", store, true, 1 << 20, 10))) {
            AtomicReference<String> failure = new AtomicReference<>();
            broker.onFailure(failure::set);
            disk.leaveFree(100_000);

            try (Connection connection = new ActiveMQConnectionFactory(broker.vmUrl()).createConnection()) {
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer producer = session.createProducer(session.createQueue("q"));
                producer.setDeliveryMode(DeliveryMode.PERSISTENT);
                for (int i = 0; i < 100 && failure.get() == null; i++) {
                    producer.send(session.createTextMessage("x".repeat(10_000)));
                }
            } catch (JMSException refused) {
                // the broker went away under the producer, as it should
            }

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(failure.get())
                    .isEqualTo("its message store " + store.resolve("kahadb") + " cannot be written: no space left on device"));
            await().atMost(Duration.ofSeconds(30)).until(() -> BrokerRegistry.getInstance().lookup("full-store") == null);
        }
    }

    @Test
    @Timeout(60)
    void aChunkInMemoryThatIsDeadLetteredIsKeptOnDiskAndOutlivesARestart() throws Exception {
        ActiveMQConnectionFactory giveUpAtOnce = new ActiveMQConnectionFactory();
        giveUpAtOnce.getRedeliveryPolicy().setMaximumRedeliveries(0);
        try (EmbeddedBroker broker = EmbeddedBroker.start(BrokerConfig.local("dead-chunk", dataDir, true, 1 << 20, 10))) {
            giveUpAtOnce.setBrokerURL(broker.vmUrl());
            try (Connection connection = giveUpAtOnce.createConnection()) {
                connection.start();
                Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
                MessageProducer producer = session.createProducer(session.createQueue("procpool.tasks"));
                producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
                producer.send(session.createTextMessage("a chunk in memory"));
                session.commit();
                // a worker that takes it and rolls back: with no redelivery left, the broker dead-letters it
                assertThat(session.createConsumer(session.createQueue("procpool.tasks")).receive(10_000)).isNotNull();
                session.rollback();
                await().atMost(Duration.ofSeconds(20)).until(() -> broker.queueStats("DLQ.procpool.tasks").waiting() == 1);
            }
        }

        try (EmbeddedBroker restarted = EmbeddedBroker.start(BrokerConfig.local("dead-chunk", dataDir, true, 1 << 20, 10));
             Connection connection = new ActiveMQConnectionFactory(restarted.vmUrl()).createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            jakarta.jms.Message dead = session.createConsumer(session.createQueue("DLQ.procpool.tasks")).receive(10_000);

            assertThat(dead).as("the dead letter, after the restart").isNotNull();
            assertThat(((jakarta.jms.TextMessage) dead).getText()).isEqualTo("a chunk in memory");
            assertThat(dead.getJMSDeliveryMode()).isEqualTo(DeliveryMode.PERSISTENT);
            assertThat(dead.getStringProperty("originalDeliveryMode")).isEqualTo("NON_PERSISTENT");
        }
    }

    @Test
    void aBrokerClosedOnPurposeIsNoFailure() throws Exception {
        AtomicReference<String> failure = new AtomicReference<>();
        try (EmbeddedBroker broker = EmbeddedBroker.start(BrokerConfig.local("closed", dataDir, true, 1024, 10))) {
            broker.onFailure(failure::set);
        }

        assertThat(failure.get()).isNull();
    }
}
