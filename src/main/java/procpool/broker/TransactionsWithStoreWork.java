package procpool.broker;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.activemq.command.Message;
import org.apache.activemq.command.MessageAck;
import org.apache.activemq.command.TransactionId;

/**
 * The local transactions that have written to the message store so far: a persistent message added, or a persistent
 * message's removal recorded, under the transaction's id. Those are exactly the writes KahaDB files under a
 * transaction (its {@code inflightTransactions}) and that need the transaction's commit or rollback record; a
 * transaction that is not here touched only messages in memory. XA transactions are never noted (they always go to
 * the store).
 */
final class TransactionsWithStoreWork {

    private final Set<TransactionId> withWork = ConcurrentHashMap.newKeySet();

    /** Before {@code message} is added to a store: KahaDB files the add under the message's transaction. */
    void noteAdd(Message message) {
        note(message.getTransactionId());
    }

    /** Before a message's removal is written to a store: KahaDB files it under the acknowledgement's transaction. */
    void noteRemove(MessageAck ack) {
        if (ack != null) {
            note(ack.getTransactionId());
        }
    }

    private void note(TransactionId transaction) {
        if (transaction != null && transaction.isLocalTransaction()) {
            withWork.add(transaction);
        }
    }

    /** Whether the local transaction has written to a store. */
    boolean hasWork(TransactionId transaction) {
        return withWork.contains(transaction);
    }

    /** Forgets a finished transaction; whether it had written to a store. */
    boolean forget(TransactionId transaction) {
        return withWork.remove(transaction);
    }
}
