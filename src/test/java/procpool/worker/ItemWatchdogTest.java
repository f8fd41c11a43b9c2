package procpool.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The worker's own item time limit; the JVM's halt is replaced by a recorder (the IT halts real worker JVMs). */
class ItemWatchdogTest {

    final List<Integer> exits = new CopyOnWriteArrayList<>();
    final ListAppender<ILoggingEvent> log = new ListAppender<>();
    final Logger logger = (Logger) LoggerFactory.getLogger(ItemWatchdog.class);

    @BeforeEach
    void captureLog() {
        log.start();
        logger.addAppender(log);
    }

    @AfterEach
    void releaseLog() {
        logger.detachAppender(log);
    }

    @Test
    void anItemOverTheLimitEndsTheJvmWithExitCode4AfterOneLineNamingBatchChunkItemAndLimit() {
        ItemWatchdog watchdog = ItemWatchdog.start(200, exits::add);
        ItemWatchdog.InHand chunk = watchdog.chunkStarted("5f1c2a9e", 3);

        chunk.itemStarted(41, "hang:/tmp/marker");

        await().atMost(Duration.ofSeconds(5)).until(() -> !exits.isEmpty());
        assertThat(exits).containsExactly(4);
        assertThat(log.list).hasSize(1);
        assertThat(log.list.get(0).getFormattedMessage())
                .startsWith("batch 5f1c2a9e chunk 3 line 42 item \"hang:/tmp/marker\": still running after ")
                .contains("over the item time limit of 200 ms (procpool.worker.item-timeout-ms)",
                        "exits with code 4 so the chunk goes back to the broker");
    }

    @Test
    void theLoggedItemIsOnePrintableLineCutAfter200Characters() {
        ItemWatchdog watchdog = ItemWatchdog.start(100, exits::add);
        ItemWatchdog.InHand chunk = watchdog.chunkStarted("5f1c2a9e", 0);

        chunk.itemStarted(0, "fake\r12:00:00 ERROR forged\u001b[2J" + "x".repeat(500));

        await().atMost(Duration.ofSeconds(5)).until(() -> !exits.isEmpty());
        String line = log.list.get(0).getFormattedMessage();
        assertThat(line).contains("item \"fake\\u000d12:00:00 ERROR forged\\u001b[2Jxxx").doesNotContain("\r", "\u001b")
                .doesNotContain("x".repeat(201));
    }

    @Test
    void itemsThatFinishWithinTheLimitKeepTheJvmRunning() {
        ItemWatchdog watchdog = ItemWatchdog.start(200, exits::add);
        ItemWatchdog.InHand chunk = watchdog.chunkStarted("5f1c2a9e", 0);

        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(2)).until(() -> {
            chunk.itemStarted(0, "quick");
            chunk.itemDone();
            return exits.isEmpty();
        });
        assertThat(log.list).isEmpty();
    }

    @Test
    void aWorkerIdleLongerThanTheLimitBetweenItemsIsNotEnded() {
        ItemWatchdog watchdog = ItemWatchdog.start(100, exits::add);
        ItemWatchdog.InHand chunk = watchdog.chunkStarted("5f1c2a9e", 0);
        chunk.itemStarted(0, "quick");
        chunk.itemDone();

        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(exits::isEmpty);
    }

    @Test
    void aChunkWithItsTasksOwnLimitIsEndedPastItEvenInAJvmWithoutALimit() {
        ItemWatchdog watchdog = ItemWatchdog.startWithChunkLimits(0, exits::add);
        ItemWatchdog.InHand chunk = watchdog.chunkStarted("5f1c2a9e", 2, 150);

        chunk.itemStarted(7, "600000");

        await().atMost(Duration.ofSeconds(5)).until(() -> !exits.isEmpty());
        assertThat(exits).containsExactly(4);
        assertThat(log.list.get(0).getFormattedMessage())
                .contains("over the item time limit of 150 ms (its task's procpool.task.<name>.item-timeout-ms)");
    }

    @Test
    void aChunksOwnLimitReplacesTheJvmsShorterOne() {
        ItemWatchdog watchdog = ItemWatchdog.startWithChunkLimits(100, exits::add);
        ItemWatchdog.InHand chunk = watchdog.chunkStarted("5f1c2a9e", 0, 60_000);

        chunk.itemStarted(0, "slow but allowed");

        await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(2)).until(exits::isEmpty);
    }

    @Test
    void withoutALimitOfItsOwnAChunkKeepsTheJvmsLimit() {
        ItemWatchdog watchdog = ItemWatchdog.startWithChunkLimits(100, exits::add);
        ItemWatchdog.InHand chunk = watchdog.chunkStarted("5f1c2a9e", 0, 0);

        chunk.itemStarted(0, "hang");

        await().atMost(Duration.ofSeconds(5)).until(() -> !exits.isEmpty());
        assertThat(log.list.get(0).getFormattedMessage()).contains("(procpool.worker.item-timeout-ms)");
    }

    @Test
    void aLimitOfZeroMeansNoLimit() {
        assertThat(ItemWatchdog.start(0, exits::add)).isSameAs(ItemWatchdog.NONE);
    }
}
