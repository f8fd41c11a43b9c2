package procpool.broker;

import java.io.IOException;

import org.apache.activemq.broker.ConnectionContext;
import org.apache.activemq.command.Message;
import org.apache.activemq.command.MessageAck;
import org.apache.activemq.store.ListenableFuture;
import org.apache.activemq.store.MessageStore;
import org.apache.activemq.store.ProxyMessageStore;

/**
 * A queue's message store that notes, before each write, the transaction the store will file it under: every method
 * through which a message is added or its removal recorded.
 */
final class TransactionNotingQueueStore extends ProxyMessageStore {

    private final TransactionsWithStoreWork work;

    TransactionNotingQueueStore(MessageStore store, TransactionsWithStoreWork work) {
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
}
