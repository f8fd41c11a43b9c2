package procpool.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.awaitility.Awaitility.await;

import java.io.Closeable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ReadAheadTest {

    /** Daemon reading threads named {@code name}. */
    private static ThreadFactory named(String name) {
        return reading -> {
            Thread thread = new Thread(reading, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Counts up to {@code count}, failing with {@code failure} after {@code failAfter} items if given. */
    private static final class Source implements Iterator<Integer>, Closeable {
        final int count;
        final int failAfter;
        final RuntimeException failure;
        final AtomicInteger read = new AtomicInteger();
        final AtomicBoolean closed = new AtomicBoolean();
        volatile Thread readingThread;

        Source(int count, int failAfter, RuntimeException failure) {
            this.count = count;
            this.failAfter = failAfter;
            this.failure = failure;
        }

        @Override
        public boolean hasNext() {
            return read.get() < count;
        }

        @Override
        public Integer next() {
            readingThread = Thread.currentThread();
            if (failure != null && read.get() == failAfter) {
                throw failure;
            }
            return read.incrementAndGet();
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    @Test
    void givesTheChunksInTheirOrderAndClosesTheReaderAtTheEnd() {
        Source source = new Source(100, -1, null);
        List<Integer> got = new ArrayList<>();

        new ReadAhead<>(source, 1, named("test")).forEachRemaining(got::add);

        assertThat(got).hasSize(100).isSorted().startsWith(1).endsWith(100);
        await().atMost(Duration.ofSeconds(5)).untilTrue(source.closed);
    }

    @Test
    void readsOnAThreadOfItsOwn() throws Exception {
        Source source = new Source(3, -1, null);

        try (ReadAhead<Integer> chunks = new ReadAhead<>(source, 1, named("read-ahead test"))) {
            chunks.next();
        }

        assertThat(source.readingThread).isNotSameAs(Thread.currentThread());
        assertThat(source.readingThread.getName()).isEqualTo("read-ahead test");
    }

    @Test
    void readsNoMoreThanItsLimitAheadOfWhatWasTaken() throws Exception {
        Source source = new Source(1_000, -1, null);
        try (ReadAhead<Integer> chunks = new ReadAhead<>(source, 1, named("test"))) {
            chunks.next();
            // the reader stops once the queue is full: an unbounded one would never wait, and this times out
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> source.readingThread.getState() == Thread.State.WAITING);
            // one taken, one waiting in the queue, one read and waiting for room
            assertThat(source.read.get()).isLessThanOrEqualTo(3);
        }
    }

    @Test
    void aFailureOfTheReaderComesOutWhereItHappenedAfterTheChunksBeforeIt() {
        IllegalStateException bad = new IllegalStateException("line 3: not valid UTF-8 text");
        ReadAhead<Integer> chunks = new ReadAhead<>(new Source(10, 2, bad), 1, named("test"));

        assertThat(chunks.next()).isEqualTo(1);
        assertThat(chunks.next()).isEqualTo(2);
        assertThat(chunks.hasNext()).as("the failure is still to come").isTrue();
        assertThatThrownBy(chunks::next).isSameAs(bad);
    }

    @Test
    void anErrorOfTheReaderComesOutAsItIs() {
        StackOverflowError error = new StackOverflowError("deep");
        Iterator<Integer> failing = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Integer next() {
                throw error;
            }
        };

        assertThatThrownBy(new ReadAhead<>(failing, 1, named("test"))::next).isSameAs(error);
    }

    @Test
    void closingItEarlyStopsTheReadingThreadAndClosesTheReader() throws Exception {
        Source source = new Source(1_000_000, -1, null);
        ReadAhead<Integer> chunks = new ReadAhead<>(source, 1, named("test"));
        chunks.next();

        chunks.close();

        assertThat(source.closed).isTrue();
        assertThat(source.readingThread.isAlive()).isFalse();
        assertThat(source.read.get()).isLessThan(1_000_000);
    }

    /** A reader stuck in a read that an interrupt does not end (a hung file system) until released. */
    private static final class StuckSource implements Iterator<Integer>, Closeable {
        final CountDownLatch reading = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicBoolean closed = new AtomicBoolean();

        @Override
        public boolean hasNext() {
            return true;
        }

        @Override
        public Integer next() {
            reading.countDown();
            boolean interrupted = false;
            while (release.getCount() > 0) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            return 1;
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    @Test
    void closingWaitsOnlySoLongForAStuckReaderSaysSoAndTheReaderIsClosedOnceItsReadReturns() throws Exception {
        StuckSource source = new StuckSource();
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        Logger logger = (Logger) LoggerFactory.getLogger(ReadAhead.class);
        log.start();
        logger.addAppender(log);
        try {
            ReadAhead<Integer> chunks = new ReadAhead<>(source, 1, named("read-ahead stuck"), Duration.ofMillis(300));
            source.reading.await();

            assertTimeoutPreemptively(Duration.ofSeconds(5), chunks::close, "close() waited for the stuck reader");

            assertThat(log.list).singleElement().satisfies(line -> {
                assertThat(line.getLevel()).isEqualTo(Level.WARN);
                assertThat(line.getFormattedMessage()).contains("'read-ahead stuck'", "did not end within 300 ms",
                        "closes its input once that read returns");
            });
            assertThat(source.closed).as("closed while its read is stuck").isFalse();
        } finally {
            logger.detachAppender(log);
            source.release.countDown();
        }
        await().atMost(Duration.ofSeconds(5)).untilTrue(source.closed);
    }
}
