package procpool.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How the pool reads the broker's account of a dead-lettered chunk (ActiveMQ Classic 6's wording). */
class PoolClientTest {

    private static final String DIED = "java.lang.Throwable: Delivery[5] exceeds redelivery policy limit:"
            + "RedeliveryPolicy {destination = null, maximumRedeliveries = 4, preDispatchCheck = true}, cause:null";
    private static final String DIED_SEEN_BY_BROKER = "java.lang.Throwable: Dispatch[5] to ID:vm-1:1:1:1 exceeds "
            + "redelivery policy limit:RedeliveryPolicy {destination = null, maximumRedeliveries = 4}";
    private static final String ROLLED_BACK = "java.lang.Throwable: Delivery[3] exceeds redelivery policy limit:"
            + "RedeliveryPolicy {maximumRedeliveries = 2}, cause:java.lang.IllegalStateException: result too large";

    @Test
    void theAttemptsAreTheDeliveriesTheBrokerCounted() {
        assertThat(PoolClient.attempts(DIED)).isEqualTo(5);
        assertThat(PoolClient.attempts(DIED_SEEN_BY_BROKER)).isEqualTo(5);
        assertThat(PoolClient.attempts(ROLLED_BACK)).isEqualTo(3);
        assertThat(PoolClient.attempts("some other wording")).isZero();
        assertThat(PoolClient.attempts(null)).isZero();
    }

    @Test
    void aRollbackCauseIsKeptAndADeathHasNone() {
        assertThat(PoolClient.rollbackCause(ROLLED_BACK)).isEqualTo("java.lang.IllegalStateException: result too large");
        assertThat(PoolClient.rollbackCause(DIED)).isNull();
        assertThat(PoolClient.rollbackCause(DIED_SEEN_BY_BROKER)).isNull();
        assertThat(PoolClient.rollbackCause(null)).isNull();
    }
}
