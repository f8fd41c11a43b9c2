package procpool.broker;

import java.io.IOException;

import org.apache.activemq.command.ActiveMQQueue;
import org.apache.activemq.command.ActiveMQTopic;
import org.apache.activemq.store.MessageStore;
import org.apache.activemq.store.TopicMessageStore;
import org.apache.activemq.store.TransactionStore;
import org.apache.activemq.store.kahadb.KahaDBPersistenceAdapter;

/**
 * KahaDB as the embedded broker uses it: a local transaction that wrote nothing to the store (it only moved messages
 * in memory) leaves no commit or rollback record in the journal ({@link EmptyTransactionSkippingStore}). Every message
 * store the broker gets passes through here, so every write under a transaction is noted.
 */
final class EmbeddedKahaDB extends KahaDBPersistenceAdapter {

    private final TransactionsWithStoreWork work = new TransactionsWithStoreWork();
    private TransactionStore transactions;

    @Override
    public MessageStore createQueueMessageStore(ActiveMQQueue destination) throws IOException {
        return new TransactionNotingQueueStore(super.createQueueMessageStore(destination), work);
    }

    @Override
    public TopicMessageStore createTopicMessageStore(ActiveMQTopic destination) throws IOException {
        return new TransactionNotingTopicStore(super.createTopicMessageStore(destination), work);
    }

    @Override
    public synchronized TransactionStore createTransactionStore() throws IOException {
        if (transactions == null) {
            transactions = new EmptyTransactionSkippingStore(super.createTransactionStore(), work);
        }
        return transactions;
    }
}
