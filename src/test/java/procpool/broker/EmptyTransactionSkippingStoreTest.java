package procpool.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.activemq.command.ActiveMQTextMessage;
import org.apache.activemq.command.ConnectionId;
import org.apache.activemq.command.LocalTransactionId;
import org.apache.activemq.command.MessageAck;
import org.apache.activemq.command.TransactionId;
import org.apache.activemq.command.XATransactionId;
import org.apache.activemq.store.TransactionRecoveryListener;
import org.apache.activemq.store.TransactionStore;

import org.junit.jupiter.api.Test;

/**
 * The order of a commit's steps and what reaches KahaDB, around a store that only logs what it is asked (the real
 * KahaDB path is {@link TransactionRecordsTest}'s; a journal write failing on cue is not something a real store does).
 */
class EmptyTransactionSkippingStoreTest {

    private final List<String> steps = new ArrayList<>();
    private final LoggingStore kahaDb = new LoggingStore();
    private final TransactionsWithStoreWork work = new TransactionsWithStoreWork();
    private final EmptyTransactionSkippingStore store = new EmptyTransactionSkippingStore(kahaDb, work);
    private final TransactionId transaction = new LocalTransactionId(new ConnectionId("c"), 1);

    @Test
    void aCommitWithoutStoreWorkRunsItsPreAndPostCommitTasksInKahaDBsOrderWithoutTheStore() throws IOException {
        store.commit(transaction, false, () -> steps.add("pre-commit"), () -> steps.add("post-commit"));

        assertThat(steps).containsExactly("pre-commit", "post-commit");
    }

    @Test
    void aCommitWithStoreWorkRunsThePreCommitTaskThenGoesToTheStoreWithThePostCommitTask() throws IOException {
        work.noteAdd(persistentMessageIn(transaction));

        store.commit(transaction, false, () -> steps.add("pre-commit"), () -> steps.add("post-commit"));

        assertThat(steps).containsExactly("pre-commit", "store commit", "post-commit");
    }

    @Test
    void storeWorkDoneByThePreCommitTaskStillGetsItsRecord() throws IOException {
        store.commit(transaction, false, () -> work.noteRemove(ackIn(transaction)), () -> steps.add("post-commit"));

        assertThat(steps).containsExactly("store commit", "post-commit");
    }

    @Test
    void aRollbackWithoutStoreWorkLeavesTheStoreAloneAndOneWithStoreWorkGoesToIt() throws IOException {
        TransactionId withWork = new LocalTransactionId(new ConnectionId("c"), 2);
        work.noteRemove(ackIn(withWork));

        store.rollback(transaction);
        store.rollback(withWork);

        assertThat(steps).containsExactly("store rollback " + withWork);
    }

    @Test
    void aCommitRecordThatCannotBeWrittenLeavesTheTransactionsRollbackToTheStore() throws IOException {
        work.noteAdd(persistentMessageIn(transaction));
        kahaDb.failCommits = true;

        assertThatThrownBy(() -> store.commit(transaction, false, null, null)).isInstanceOf(IOException.class);
        steps.clear();
        // what LocalTransaction.commit does when the store's commit fails
        store.rollback(transaction);

        assertThat(steps).containsExactly("store rollback " + transaction);
    }

    @Test
    void aFinishedTransactionIsForgotten() throws IOException {
        work.noteAdd(persistentMessageIn(transaction));
        store.commit(transaction, false, null, null);

        assertThat(work.hasWork(transaction)).isFalse();
    }

    @Test
    void anXaTransactionGoesToTheStoreUnchangedEvenWithoutStoreWork() throws IOException {
        XATransactionId xa = new XATransactionId();
        xa.setGlobalTransactionId(new byte[] {1});
        xa.setBranchQualifier(new byte[] {1});

        store.commit(xa, false, () -> steps.add("pre-commit"), null);
        store.rollback(xa);

        assertThat(steps).containsExactly("store commit with its pre-commit task", "pre-commit", "store rollback " + xa);
        assertThat(work.hasWork(xa)).isFalse();
    }

    private static ActiveMQTextMessage persistentMessageIn(TransactionId transaction) {
        ActiveMQTextMessage message = new ActiveMQTextMessage();
        message.setPersistent(true);
        message.setTransactionId(transaction);
        return message;
    }

    private static MessageAck ackIn(TransactionId transaction) {
        MessageAck ack = new MessageAck();
        ack.setTransactionId(transaction);
        return ack;
    }

    /** Logs each call into {@link #steps}; KahaDB runs the pre-commit task before its record, the post-commit after. */
    private final class LoggingStore implements TransactionStore {
        boolean failCommits;

        @Override
        public void commit(TransactionId txid, boolean wasPrepared, Runnable preCommit, Runnable postCommit)
                throws IOException {
            if (preCommit != null) {
                steps.add("store commit with its pre-commit task");
                preCommit.run();
                return;
            }
            if (failCommits) {
                throw new IOException("no space left on device");
            }
            steps.add("store commit");
            if (postCommit != null) {
                postCommit.run();
            }
        }

        @Override
        public void rollback(TransactionId txid) {
            steps.add("store rollback " + txid);
        }

        @Override
        public void prepare(TransactionId txid) {
            steps.add("store prepare");
        }

        @Override
        public void recover(TransactionRecoveryListener listener) {
            steps.add("store recover");
        }

        @Override
        public void start() {
        }

        @Override
        public void stop() {
        }
    }
}
