package procpool.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ThrowableProxy;

import org.junit.jupiter.api.Test;

class KnownNoiseFilterTest {

    private static final String LISTENER = "org.apache.camel.component.jms.DefaultJmsMessageListenerContainer";
    private static final String SETUP_FAILED = "Setup of JMS message listener invoker failed for destination "
            + "'procpool.tasks' - trying to recover. Cause: java.lang.InterruptedException";

    @Test
    void activeMqsOwnReportOfAFailedStartIsDroppedBecauseProcpoolReportsIt() {
        assertThat(KnownNoiseFilter.isKnownNoise("org.apache.activemq.broker.BrokerService",
                "Failed to start Apache ActiveMQ (procpool, null)", null, false)).isTrue();
    }

    @Test
    void aListenerSetupFailureIsDroppedOnlyWhileTheJvmStops() {
        assertThat(KnownNoiseFilter.isKnownNoise(LISTENER, SETUP_FAILED, null, true)).isTrue();
        assertThat(KnownNoiseFilter.isKnownNoise(LISTENER, SETUP_FAILED, null, false)).isFalse();
    }

    @Test
    void theAdvisoryContextNullPointerExceptionOfAStoppingBrokerIsDropped() {
        ThrowableProxy thrown = new ThrowableProxy(new IllegalStateException("wrapped",
                new NullPointerException("Advisory ConnectionContext must not be null")));

        assertThat(KnownNoiseFilter.isKnownNoise("org.apache.activemq.broker.TransportConnection",
                "Failed to remove consumer", thrown, false)).isTrue();
    }

    @Test
    void everythingElsePasses() {
        assertThat(KnownNoiseFilter.isKnownNoise("org.apache.activemq.broker.BrokerService",
                "Store limit is 102400 mb", null, true)).isFalse();
        assertThat(KnownNoiseFilter.isKnownNoise("procpool.batch.BatchTracker", SETUP_FAILED, null, true)).isFalse();
        assertThat(KnownNoiseFilter.isKnownNoise("x", "y", new ThrowableProxy(new NullPointerException("other")),
                true)).isFalse();
    }
}
