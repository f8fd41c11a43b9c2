package procpool.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.Consumer;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The inbox's extra scans, on a real Camel scheduler whose timed scans are ten minutes apart: a scan asked for while
 * one waits to begin is the one that waits, however long it waits.
 */
class InboxSchedulerTest {

    private final DefaultCamelContext context = new DefaultCamelContext();
    private final InboxScheduler scheduler = new InboxScheduler(600_000);
    private final AtomicInteger scans = new AtomicInteger();
    private final CountDownLatch firstScanMayEnd = new CountDownLatch(1);

    @BeforeEach
    void start() throws Exception {
        context.start();
        Consumer consumer = context.getEndpoint("timer:inbox-scheduler-test").createConsumer(exchange -> { });
        scheduler.setCamelContext(context);
        scheduler.setInitialDelay(600_000);
        scheduler.onInit(consumer);
        scheduler.scheduleTask(() -> {
            if (scans.incrementAndGet() == 1) {
                try {
                    firstScanMayEnd.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        scheduler.start();
        scheduler.startScheduler();
    }

    @AfterEach
    void stop() {
        firstScanMayEnd.countDown();
        scheduler.stop();
        context.stop();
    }

    @Test
    void filesAppearingWhileAScanWaitsToBeginCostOneMoreScan() throws Exception {
        scheduler.scanNow();
        await().atMost(Duration.ofSeconds(10)).until(() -> scans.get() == 1); // running, held

        for (int i = 0; i < 5; i++) {
            scheduler.scanNow();
            Thread.sleep(3); // longer than the read lock's least wait: each would have been a scan of its own
        }
        firstScanMayEnd.countDown();

        await().atMost(Duration.ofSeconds(10)).until(() -> scans.get() == 2);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(10)).until(() -> scans.get() == 2);
    }

    @Test
    void aScanAskedForFromARunningScanRunsAfterIt() throws Exception {
        scheduler.scanNow();
        await().atMost(Duration.ofSeconds(10)).until(() -> scans.get() == 1);

        scheduler.scanIn(1); // as the read lock asks, from inside the scan, for a file not ready yet
        firstScanMayEnd.countDown();

        await().atMost(Duration.ofSeconds(10)).until(() -> scans.get() == 2);
    }
}
