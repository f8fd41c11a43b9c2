package procpool.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import procpool.broker.JmsConnections;

/** A worker's wait for its broker, against a real port nobody listens on, on a fake clock (no real waiting). */
class BrokerWaitTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final List<Long> pauses = new ArrayList<>();

    private BrokerWait waitFor(String url) {
        return new BrokerWait(JmsConnections.clientFactory(url, "procpool", "secret"), url, now::get, millis -> {
            pauses.add(millis);
            now.addAndGet(millis);
        });
    }

    private static String closedPortUrl() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "tcp://127.0.0.1:" + socket.getLocalPort();
        }
    }

    @Test
    void anUnreachableBrokerIsRetriedWithAGrowingPauseUntilTheConnectTimeout() throws Exception {
        String url = closedPortUrl();

        assertThatThrownBy(() -> waitFor(url).await(Duration.ofSeconds(10)))
                .isInstanceOf(BrokerWait.Unreachable.class)
                .hasMessageStartingWith("cannot reach the broker " + url + " within 10 s (--connect-timeout): ")
                .hasMessageContaining("Connection refused");
        // 1 + 2 + 4 s, then the 3 s left of the 10
        assertThat(pauses).containsExactly(1000L, 2000L, 4000L, 3000L);
    }

    @Test
    void thePauseGrowsToThirtySecondsAtMost() throws Exception {
        String url = closedPortUrl();

        assertThatThrownBy(() -> waitFor(url).await(Duration.ofSeconds(200)))
                .isInstanceOf(BrokerWait.Unreachable.class);
        assertThat(pauses).startsWith(1000L, 2000L, 4000L, 8000L, 16000L, 30000L, 30000L);
        assertThat(pauses).allMatch(pause -> pause <= 30_000);
    }
}
