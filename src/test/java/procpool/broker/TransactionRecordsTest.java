package procpool.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.XAConnection;
import jakarta.jms.XASession;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.ActiveMQXAConnectionFactory;
import org.apache.activemq.broker.BrokerRegistry;
import org.apache.activemq.store.kahadb.JournalCommand;
import org.apache.activemq.store.kahadb.KahaDBPersistenceAdapter;
import org.apache.activemq.store.kahadb.KahaDBStore;
import org.apache.activemq.store.kahadb.data.KahaCommitCommand;
import org.apache.activemq.store.kahadb.data.KahaRollbackCommand;
import org.apache.activemq.store.kahadb.disk.journal.Journal;
import org.apache.activemq.store.kahadb.disk.journal.Location;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which transactions leave a commit or rollback record in the embedded broker's journal: only those that wrote to
 * the store (a persistent message sent, or a persistent message taken). One that moved messages in memory only (a
 * worker's chunk and result on the embedded broker) commits without a record, and without its fsync, yet completes as
 * before; one with store work stays durable and all-or-nothing across a restart.
 */
@Timeout(60)
class TransactionRecordsTest {

    private static final String BROKER = "records";

    @TempDir
    Path dataDir;

    @Test
    void aWorkersTakeAndReplyAndTheCoordinatorsResultInMemoryWriteNoJournalRecord() throws Exception {
        try (EmbeddedBroker broker = start(); Connection connection = connect(broker)) {
            send(connection, "tasks", "chunk", DeliveryMode.NON_PERSISTENT);
            Session worker = connection.createSession(true, Session.SESSION_TRANSACTED);
            worker.createConsumer(worker.createQueue("tasks")).receive(10_000);
            MessageProducer reply = worker.createProducer(worker.createQueue("results"));
            reply.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            reply.send(worker.createTextMessage("result"));
            worker.commit();
            Session coordinator = connection.createSession(true, Session.SESSION_TRANSACTED);
            assertThat(coordinator.createConsumer(coordinator.createQueue("results")).receive(10_000)).isNotNull();
            coordinator.commit();

            assertThat(transactionRecords()).isZero();
        }
    }

    @Test
    void aRolledBackTransactionInMemoryWritesNoJournalRecordAndGivesItsMessageBack() throws Exception {
        try (EmbeddedBroker broker = start(); Connection connection = connect(broker)) {
            send(connection, "tasks", "chunk", DeliveryMode.NON_PERSISTENT);
            Session worker = connection.createSession(true, Session.SESSION_TRANSACTED);
            var consumer = worker.createConsumer(worker.createQueue("tasks"));
            assertThat(consumer.receive(10_000)).isNotNull();
            worker.rollback();

            assertThat(transactionRecords()).isZero();
            Message again = consumer.receive(10_000);
            assertThat(again).isNotNull();
            assertThat(again.getJMSRedelivered()).isTrue();
        }
    }

    @Test
    void aCommitWithoutRecordStillDeliversWhatItSentAndDropsWhatItTook() throws Exception {
        try (EmbeddedBroker broker = start(); Connection connection = connect(broker)) {
            send(connection, "tasks", "chunk", DeliveryMode.NON_PERSISTENT);
            Session worker = connection.createSession(true, Session.SESSION_TRANSACTED);
            worker.createConsumer(worker.createQueue("tasks")).receive(10_000);
            MessageProducer reply = worker.createProducer(worker.createQueue("results"));
            reply.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            reply.send(worker.createTextMessage("result"));
            assertThat(broker.queueStats("results").waiting()).as("the result, before the commit").isZero();
            assertThat(broker.queueStats("tasks").waiting()).as("the chunk, before the commit").isOne();

            worker.commit();

            assertThat(broker.queueStats("results").waiting()).as("the result, after the commit").isOne();
            assertThat(broker.queueStats("tasks").waiting()).as("the chunk, after the commit").isZero();
            assertThat(transactionRecords()).isZero();
        }
    }

    @Test
    void aCommittedPersistentSendIsRecordedAndOutlivesARestart() throws Exception {
        try (EmbeddedBroker broker = start(); Connection connection = connect(broker)) {
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            session.createProducer(session.createQueue("jobs")).send(session.createTextMessage("job"));
            session.commit();

            assertThat(transactionRecords()).isOne();
        }

        assertThat(takeAfterRestart("jobs")).isEqualTo("job");
    }

    @Test
    void aCommittedTakeOfAPersistentMessageIsRecordedAndOutlivesARestart() throws Exception {
        try (EmbeddedBroker broker = start(); Connection connection = connect(broker)) {
            send(connection, "jobs", "job", DeliveryMode.PERSISTENT);
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            assertThat(session.createConsumer(session.createQueue("jobs")).receive(10_000)).isNotNull();
            session.commit();

            assertThat(transactionRecords()).isOne();
        }

        assertThat(waitingAfterRestart("jobs")).isZero();
    }

    @Test
    void aRolledBackPersistentSendAndTakeLeaveTheStoreAsItWasAfterARestart() throws Exception {
        try (EmbeddedBroker broker = start(); Connection connection = connect(broker)) {
            send(connection, "jobs", "job", DeliveryMode.PERSISTENT);
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            assertThat(session.createConsumer(session.createQueue("jobs")).receive(10_000)).isNotNull();
            session.createProducer(session.createQueue("replies")).send(session.createTextMessage("reply"));
            session.rollback();

            assertThat(transactionRecords()).isOne();
        }

        assertThat(waitingAfterRestart("replies")).isZero();
        assertThat(takeAfterRestart("jobs")).isEqualTo("job");
    }

    @Test
    void aTransactionWithStoreWorkLeftOpenByADroppedConnectionIsRolledBackInTheStore() throws Exception {
        try (EmbeddedBroker broker = start(); Connection connection = connect(broker)) {
            send(connection, "jobs", "job", DeliveryMode.PERSISTENT);
            Connection dropped = connect(broker);
            Session session = dropped.createSession(true, Session.SESSION_TRANSACTED);
            assertThat(session.createConsumer(session.createQueue("jobs")).receive(10_000)).isNotNull();
            session.createProducer(session.createQueue("replies")).send(session.createTextMessage("reply"));
            dropped.close(); // neither committed nor rolled back by the client: the broker rolls it back

            await().atMost(Duration.ofSeconds(10)).until(() -> transactionRecords() == 1);
            assertThat(broker.queueStats("jobs").waiting()).isOne();
        }

        assertThat(waitingAfterRestart("replies")).isZero();
        assertThat(takeAfterRestart("jobs")).isEqualTo("job");
    }

    @Test
    void aTransactionMixingMemoryAndStoreWorkIsCommittedWholeAndRecorded() throws Exception {
        try (EmbeddedBroker broker = start(); Connection connection = connect(broker)) {
            send(connection, "tasks", "chunk", DeliveryMode.NON_PERSISTENT);
            send(connection, "jobs", "job", DeliveryMode.PERSISTENT);
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            takeAndAnswer(session);
            session.commit();

            assertThat(transactionRecords()).isOne();
            assertThat(broker.queueStats("tasks").waiting()).isZero();
            assertThat(broker.queueStats("jobs").waiting()).isZero();
            assertThat(broker.queueStats("results").waiting()).isOne();
            assertThat(broker.queueStats("replies").waiting()).isOne();
        }

        assertThat(waitingAfterRestart("jobs")).isZero();
        assertThat(takeAfterRestart("replies")).isEqualTo("reply");
    }

    @Test
    void aTransactionMixingMemoryAndStoreWorkIsRolledBackWhole() throws Exception {
        try (EmbeddedBroker broker = start(); Connection connection = connect(broker)) {
            send(connection, "tasks", "chunk", DeliveryMode.NON_PERSISTENT);
            send(connection, "jobs", "job", DeliveryMode.PERSISTENT);
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            takeAndAnswer(session);
            session.rollback();

            assertThat(transactionRecords()).isOne();
            assertThat(broker.queueStats("tasks").waiting()).isOne();
            assertThat(broker.queueStats("jobs").waiting()).isOne();
            assertThat(broker.queueStats("results").waiting()).isZero();
            assertThat(broker.queueStats("replies").waiting()).isZero();
        }

        assertThat(waitingAfterRestart("replies")).isZero();
        assertThat(takeAfterRestart("jobs")).isEqualTo("job");
    }

    @Test
    void anXaTransactionInMemoryIsStillRecorded() throws Exception {
        try (EmbeddedBroker broker = start()) {
            XAConnection connection = new ActiveMQXAConnectionFactory(broker.vmUrl()).createXAConnection();
            try {
                connection.start();
                XASession session = connection.createXASession();
                XAResource resource = session.getXAResource();
                Xid xid = new TestXid(1);
                resource.start(xid, XAResource.TMNOFLAGS);
                MessageProducer producer = session.createProducer(session.createQueue("results"));
                producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
                producer.send(session.createTextMessage("result"));
                resource.end(xid, XAResource.TMSUCCESS);
                resource.commit(xid, true);

                assertThat(transactionRecords()).isOne();
                assertThat(broker.queueStats("results").waiting()).isOne();
            } finally {
                connection.close();
            }
        }
    }

    /** Takes the chunk in memory and the persistent job, answers each in kind; the caller commits or rolls back. */
    private static void takeAndAnswer(Session session) throws JMSException {
        assertThat(session.createConsumer(session.createQueue("tasks")).receive(10_000)).isNotNull();
        assertThat(session.createConsumer(session.createQueue("jobs")).receive(10_000)).isNotNull();
        MessageProducer results = session.createProducer(session.createQueue("results"));
        results.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
        results.send(session.createTextMessage("result"));
        session.createProducer(session.createQueue("replies")).send(session.createTextMessage("reply"));
    }

    private EmbeddedBroker start() throws Exception {
        return EmbeddedBroker.start(BrokerConfig.local(BROKER, dataDir, true, 1 << 20, 10));
    }

    private static Connection connect(EmbeddedBroker broker) throws JMSException {
        Connection connection = JmsConnections.clientFactory(broker.vmUrl(), null, null).createConnection();
        connection.start();
        return connection;
    }

    /** Sends outside any transaction, waiting for the broker (and, if persistent, the store) to take it. */
    private static void send(Connection connection, String queue, String text, int deliveryMode)
            throws JMSException {
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer producer = session.createProducer(session.createQueue(queue));
        producer.setDeliveryMode(deliveryMode);
        producer.send(session.createTextMessage(text));
        session.close();
    }

    private String takeAfterRestart(String queue) throws Exception {
        try (EmbeddedBroker restarted = start(); Connection connection = connect(restarted)) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Message message = session.createConsumer(session.createQueue(queue)).receive(10_000);
            return message == null ? null : ((TextMessage) message).getText();
        }
    }

    private long waitingAfterRestart(String queue) throws Exception {
        try (EmbeddedBroker restarted = start()) {
            return restarted.queueStats(queue).waiting();
        }
    }

    /** Commit and rollback records in the running broker's journal, from its first record to its last. */
    private static long transactionRecords() throws IOException {
        KahaDBStore store = ((KahaDBPersistenceAdapter) BrokerRegistry.getInstance().lookup(BROKER)
                .getPersistenceAdapter()).getStore();
        Journal journal = store.getJournal();
        long records = 0;
        for (Location at = journal.getNextLocation(null); at != null; at = journal.getNextLocation(at)) {
            JournalCommand<?> record = store.load(at);
            if (record instanceof KahaCommitCommand || record instanceof KahaRollbackCommand) {
                records++;
            }
        }
        return records;
    }

    private record TestXid(int id) implements Xid {
        @Override
        public int getFormatId() {
            return 4711;
        }

        @Override
        public byte[] getGlobalTransactionId() {
            return new byte[] {(byte) id};
        }

        @Override
        public byte[] getBranchQualifier() {
            return new byte[] {1};
        }
    }
}
