package procpool.broker;

import java.io.IOException;

import org.apache.activemq.broker.ConnectionContext;
import org.apache.activemq.command.Message;
import org.apache.activemq.command.MessageAck;
import org.apache.activemq.command.MessageId;
import org.apache.activemq.store.ListenableFuture;
import org.apache.activemq.store.ProxyTopicMessageStore;
import org.apache.activemq.store.TopicMessageStore;

/**
 * {@link TransactionNotingQueueStore} for a topic's store (durable subscriptions), whose subscribers' acknowledgements
 * are writes too.
 */
final class TransactionNotingTopicStore extends ProxyTopicMessageStore {

    private final TransactionsWithStoreWork work;

    TransactionNotingTopicStore(TopicMessageStore store, TransactionsWithStoreWork work) {
        super(store);
        this.work = work;
    }

    @Override
    public void addMessage(ConnectionContext context, Message message) throws IOException {
        work.noteAdd(message);
        super.addMessage(context, message);
    }

    @Override
    public void addMessage(ConnectionContext context, Message message, boolean canOptimizeHint) throws IOException {
        work.noteAdd(message);
        super.addMessage(context, message, canOptimizeHint);
    }

    @Override
    public ListenableFuture<Object> asyncAddQueueMessage(ConnectionContext context, Message message)
            throws IOException {
        work.noteAdd(message);
        return super.asyncAddQueueMessage(context, message);
    }

    @Override
    public ListenableFuture<Object> asyncAddQueueMessage(ConnectionContext context, Message message,
                                                         boolean canOptimizeHint) throws IOException {
        work.noteAdd(message);
        return super.asyncAddQueueMessage(context, message, canOptimizeHint);
    }

    @Override
    public ListenableFuture<Object> asyncAddTopicMessage(ConnectionContext context, Message message)
            throws IOException {
        work.noteAdd(message);
        return super.asyncAddTopicMessage(context, message);
    }

    @Override
    public ListenableFuture<Object> asyncAddTopicMessage(ConnectionContext context, Message message,
                                                         boolean canOptimizeHint) throws IOException {
        work.noteAdd(message);
        return super.asyncAddTopicMessage(context, message, canOptimizeHint);
    }

    @Override
    public void removeMessage(ConnectionContext context, MessageAck ack) throws IOException {
        work.noteRemove(ack);
        super.removeMessage(context, ack);
    }

    @Override
    public void removeAsyncMessage(ConnectionContext context, MessageAck ack) throws IOException {
        work.noteRemove(ack);
        super.removeAsyncMessage(context, ack);
    }

    @Override
    public void acknowledge(ConnectionContext context, String clientId, String subscriptionName, MessageId messageId,
                            MessageAck ack) throws IOException {
        work.noteRemove(ack);
        super.acknowledge(context, clientId, subscriptionName, messageId, ack);
    }
}
