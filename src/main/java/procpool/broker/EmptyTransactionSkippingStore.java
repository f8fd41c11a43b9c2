package procpool.broker;

import java.io.IOException;

import org.apache.activemq.command.TransactionId;
import org.apache.activemq.store.TransactionRecoveryListener;
import org.apache.activemq.store.TransactionStore;

/**
 * The broker's transaction store, minus the journal records of local transactions that wrote nothing to the message
 * store. ActiveMQ 6.3's {@code KahaDBTransactionStore} writes and fsyncs a commit record for every commit and a
 * rollback record for every rollback, though KahaDB ignores both for a transaction it filed no operation under
 * ({@code MessageDatabase.process(KahaCommitCommand)}, "only non persistent messages in this tx", only moves its replay
 * start; {@code process(KahaRollbackCommand)} does nothing). With chunks and results in memory that was a worker's
 * take-and-reply and the coordinator's taking of the result: two fsyncs per chunk.
 * <p>
 * For such a transaction this store runs the commit's pre- and post-commit tasks, which complete it (what it sent is
 * dispatched, what it took is removed), in the order KahaDB runs them around its record; ActiveMQ's own
 * {@code MemoryTransactionStore} does the same for a transaction without store work. Transactions with store work, XA
 * transactions, prepare and recovery go to the store unchanged.
 */
final class EmptyTransactionSkippingStore implements TransactionStore {

    private final TransactionStore store;
    private final TransactionsWithStoreWork work;

    EmptyTransactionSkippingStore(TransactionStore store, TransactionsWithStoreWork work) {
        this.store = store;
        this.work = work;
    }

    @Override
    public void commit(TransactionId transaction, boolean wasPrepared, Runnable preCommit, Runnable postCommit)
            throws IOException {
        if (transaction == null || wasPrepared || !transaction.isLocalTransaction()) {
            store.commit(transaction, wasPrepared, preCommit, postCommit);
            return;
        }
        // KahaDB too runs the pre-commit task first; it may still write under the transaction, so decide after it
        if (preCommit != null) {
            preCommit.run();
        }
        if (work.hasWork(transaction)) {
            store.commit(transaction, false, null, postCommit);
            // kept until the record is written: if it cannot be, the transaction's rollback must reach the store
            work.forget(transaction);
        } else if (postCommit != null) {
            postCommit.run();
        }
    }

    @Override
    public void rollback(TransactionId transaction) throws IOException {
        if (transaction != null && transaction.isLocalTransaction() && !work.forget(transaction)) {
            return;
        }
        store.rollback(transaction);
    }

    @Override
    public void prepare(TransactionId transaction) throws IOException {
        store.prepare(transaction);
    }

    @Override
    public void recover(TransactionRecoveryListener listener) throws IOException {
        store.recover(listener);
    }

    @Override
    public void start() throws Exception {
        store.start();
    }

    @Override
    public void stop() throws Exception {
        store.stop();
    }
}
