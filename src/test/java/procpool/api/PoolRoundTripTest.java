package procpool.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.broker.BrokerRegistry;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.region.policy.IndividualDeadLetterStrategy;
import org.apache.activemq.broker.region.policy.PolicyEntry;
import org.apache.activemq.broker.region.policy.PolicyMap;
import org.apache.activemq.command.ActiveMQQueue;
import org.apache.activemq.command.ActiveMQTempQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import procpool.broker.BrokerConfig;
import procpool.broker.EmbeddedBroker;
import procpool.config.Settings;

/**
 * An {@code apply} waits on one round trip through the broker, so a pool passes its messages through as few threads
 * as ActiveMQ allows, with nothing changed in what is delivered, acknowledged or dead-lettered.
 */
class PoolRoundTripTest {

    @TempDir
    Path dir;

    @Test
    void aPoolsPrivateBrokerDispatchesOnArrivalOnItsQueuesAndTemporaryQueues() throws Exception {
        LocalPoolRuntime runtime = LocalPoolRuntime.start(ProcessPool.builder().processes(1)
                .classDataSharing(false).config(Settings.defaults()));
        try {
            PolicyMap policies = privateBroker().getDestinationPolicy();

            assertThat(policies.getEntryFor(new ActiveMQQueue("procpool.tasks")).isOptimizedDispatch()).isTrue();
            assertThat(policies.getEntryFor(new ActiveMQTempQueue("ID:pool-1:1:1")).isOptimizedDispatch()).isTrue();
        } finally {
            runtime.closeBroker();
        }
    }

    @Test
    void aPoolsPrivateBrokerStillDeadLettersEveryChunkToItsQueuesOwnDeadLetterQueue() throws Exception {
        LocalPoolRuntime runtime = LocalPoolRuntime.start(ProcessPool.builder().processes(1)
                .classDataSharing(false).config(Settings.defaults()));
        try {
            PolicyEntry tasks = privateBroker().getDestinationPolicy().getEntryFor(new ActiveMQQueue("procpool.tasks"));

            assertThat(tasks.getDeadLetterStrategy()).isInstanceOfSatisfying(IndividualDeadLetterStrategy.class,
                    deadLetters -> {
                        assertThat(deadLetters.getQueuePrefix()).isEqualTo("DLQ.");
                        assertThat(deadLetters.isProcessNonPersistent()).isTrue();
                    });
            assertThat(tasks.isUsePrefetchExtension()).isFalse();
        } finally {
            runtime.closeBroker();
        }
    }

    @Test
    void theCoordinatorsBrokerKeepsItsQueuesDispatchThreads() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(BrokerConfig.local("round-trip-test", dir, false,
                1024 * 1024, 10))) {
            PolicyMap policies = BrokerRegistry.getInstance().lookup("round-trip-test").getDestinationPolicy();

            assertThat(policies.getEntryFor(new ActiveMQQueue("procpool.tasks")).isOptimizedDispatch()).isFalse();
        }
    }

    @Test
    void aPrivatePoolsConnectionTakesResultsStraightFromTheDispatchingThread() throws Exception {
        LocalPoolRuntime runtime = LocalPoolRuntime.start(ProcessPool.builder().processes(1)
                .classDataSharing(false).config(Settings.defaults()));
        try {
            ActiveMQConnectionFactory factory = runtime.clientFactory();

            assertThat(factory.isAlwaysSessionAsync()).isFalse();
            assertThat(factory.isDispatchAsync()).isFalse();
            assertThat(factory.getBrokerURL()).startsWith("vm://");
            // and still trusts no class for an ObjectMessage
            assertThat(factory.isTrustAllPackages()).isFalse();
            assertThat(factory.getTrustedPackages()).isEmpty();
        } finally {
            runtime.closeBroker();
        }
    }

    private static BrokerService privateBroker() {
        Map<String, BrokerService> brokers = BrokerRegistry.getInstance().getBrokers();
        return brokers.entrySet().stream().filter(entry -> entry.getKey().startsWith("procpool-pool-"))
                .map(Map.Entry::getValue).findFirst().orElseThrow();
    }
}
