package procpool.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** ActiveMQ's dead-letter causes, told shortly for status, the DLQ list and error reports. */
class DeadLetterCauseTest {

    @Test
    void aChunkWhoseWorkersDiedSaysHowOftenTheBrokerDeliveredIt() {
        assertThat(DeadLetterCause.describe("java.lang.Throwable: Dispatch[2] to ID:vm-36735-1796005991856-1:3:1:1 "
                + "exceeds redelivery policy limit:RedeliveryPolicy {destination = null, maximumRedeliveries = 1, "
                + "preDispatchCheck = true}"))
                .isEqualTo("the broker gave up after 2 deliveries (its workers died or stopped on it)");
    }

    @Test
    void aChunkRolledBackEveryTimeNamesTheLastFailure() {
        assertThat(DeadLetterCause.describe("java.lang.Throwable: Delivery[3] exceeds redelivery policy limit:"
                + "RedeliveryPolicy {maximumRedeliveries = 2}, cause:java.lang.IllegalStateException: result too large"))
                .isEqualTo("the broker gave up after 3 deliveries; the last one was rolled back with "
                        + "java.lang.IllegalStateException: result too large");
        assertThat(DeadLetterCause.describe("java.lang.Throwable: Delivery[5] exceeds redelivery policy limit:"
                + "RedeliveryPolicy {maximumRedeliveries = 4}, cause:null"))
                .isEqualTo("the broker gave up after 5 deliveries (its workers died or stopped on it)");
    }

    @Test
    void theDeliveriesAreReadFromTheCauseWhenItSaysThem() {
        assertThat(DeadLetterCause.deliveries("java.lang.Throwable: Dispatch[2] to ID:vm-1:3:1:1 exceeds redelivery "
                + "policy limit:RedeliveryPolicy {maximumRedeliveries = 1}")).isEqualTo(2);
        assertThat(DeadLetterCause.deliveries("Message expired")).isNull();
        assertThat(DeadLetterCause.deliveries(null)).isNull();
    }

    @Test
    void anyOtherCauseIsKeptAsItIs() {
        assertThat(DeadLetterCause.describe("Message expired")).isEqualTo("Message expired");
        assertThat(DeadLetterCause.describe(null)).isNull();
    }
}
