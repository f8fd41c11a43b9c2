package procpool.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import procpool.task.Task;
import procpool.testtasks.PidTask;
import procpool.testtasks.PowerTask;

/** Every verb of the pool, against one pool of 2 real worker JVMs for the whole class. */
class ProcessPoolTest {

    static ProcessPool pool;

    @BeforeAll
    static void startPool() {
        pool = ProcessPool.create(2);
    }

    @AfterAll
    static void stopPool() {
        pool.close();
    }

    private static List<String> numbers(int count) {
        return IntStream.rangeClosed(1, count).mapToObj(Integer::toString).toList();
    }

    private static List<String> squares(int count) {
        return IntStream.rangeClosed(1, count).mapToObj(n -> Long.toString((long) n * n)).toList();
    }

    @Test
    void mapReturnsTheResultsInInputOrder() {
        assertThat(pool.map("square", numbers(1000))).isEqualTo(squares(1000));
    }

    @Test
    void mapOfChunksBigEnoughToTravelAsUtf8BytesGivesEveryItemBackWhole() {
        List<String> items = new java.util.ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            items.add("gr\u00fc\u00dfe \u20ac" + i + " \"zitat\"\t\ud83d\ude00");
        }

        assertThat(pool.map("upper", items)).isEqualTo(items.stream().map(item -> item.toUpperCase(Locale.ROOT))
                .toList());
    }

    @Test
    void mapRunsTheCallersOwnTaskClassInTheWorkerJvms() {
        List<String> pids = pool.map(PidTask.class, numbers(40));

        Set<Long> workerPids = pids.stream().map(Long::valueOf).collect(Collectors.toSet());
        assertThat(workerPids).doesNotContain(ProcessHandle.current().pid());
        assertThat(pool.workerPids()).containsAll(workerPids);
    }

    @Test
    void mapAsyncCompletesWithTheResults() throws Exception {
        assertThat(pool.mapAsync("upper", List.of("a", "b", "c")).get(60, TimeUnit.SECONDS))
                .containsExactly("A", "B", "C");
    }

    @Test
    void starmapPassesSeveralArgumentsPerItem() {
        assertThat(pool.starmap(PowerTask.class, List.of(List.of("2", "10"), List.of("3", "3"), List.of("10", "0"))))
                .containsExactly("1024", "27", "1");
    }

    @Test
    void applyRunsOneItem() throws Exception {
        assertThat(pool.apply("square", "3037000500")).isEqualTo("9223372037000250000");
        assertThat(pool.applyAsync("sha256", "abc").get(60, TimeUnit.SECONDS))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void imapYieldsResultsInInputOrder() {
        try (Stream<String> results = pool.imap("square", numbers(10_000), 100)) {
            assertThat(results.toList()).isEqualTo(squares(10_000));
        }
    }

    @Test
    void imapReadsAnIterableLazily() {
        Iterable<String> generated = () -> IntStream.rangeClosed(1, 5000).mapToObj(Integer::toString).iterator();
        try (Stream<String> results = pool.imap("square", generated)) {
            assertThat(results.toList()).isEqualTo(squares(5000));
        }
    }

    @Test
    void imapUnorderedYieldsEveryResultOnce() {
        try (Stream<String> results = pool.imapUnordered("square", numbers(5000), 50)) {
            assertThat(results.toList()).containsExactlyInAnyOrderElementsOf(squares(5000));
        }
    }

    @Test
    void itemsAndResultsMayHoldLineBreaks() {
        assertThat(pool.map("upper", List.of("two\nlines", "", "three\r\nmore\nlines")))
                .containsExactly("TWO\nLINES", "", "THREE\r\nMORE\nLINES");
    }

    @Test
    void anEmptyInputGivesAnEmptyResult() {
        assertThat(pool.map("square", List.of())).isEmpty();
        try (Stream<String> results = pool.imap("square", List.of())) {
            assertThat(results).isEmpty();
        }
    }

    @Test
    void aTaskFailureReachesTheCallerWithItsItemTaskWorkerAndRemoteStackTrace() {
        assertThatThrownBy(() -> pool.map("square", List.of("1", "2", "not a number", "4")))
                .isInstanceOfSatisfying(TaskFailedException.class, failure -> {
                    assertThat(failure.task()).isEqualTo("square");
                    assertThat(failure.itemIndex()).isEqualTo(2);
                    assertThat(failure.item()).isEqualTo("not a number");
                    assertThat(pool.workerPids()).contains(failure.workerPid());
                    assertThat(failure.remoteStackTrace())
                            .contains("IllegalArgumentException: not an integer: \"not a number\"")
                            .contains("at procpool.task.SquareTask.apply");
                    assertThat(failure.getMessage()).contains("item 2 (\"not a number\")", "worker pid");
                });
    }

    @Test
    void imapFailsWhenItReachesTheFailedItem() {
        try (Stream<String> results = pool.imap("square", List.of("1", "2", "x"), 1)) {
            var iterator = results.iterator();
            assertThat(iterator.next()).isEqualTo("1");
            assertThat(iterator.next()).isEqualTo("4");
            assertThatThrownBy(iterator::next).isInstanceOf(TaskFailedException.class)
                    .extracting(e -> ((TaskFailedException) e).itemIndex()).isEqualTo(2L);
        }
    }

    @Test
    void anUnknownTaskFailsTheCall() {
        assertThatThrownBy(() -> pool.apply("cube", "2")).isInstanceOf(TaskFailedException.class)
                .hasMessageContaining("unknown task 'cube'");
    }

    @Test
    void aConnectedPoolUsesAnotherPoolsBrokerAndWorkers() {
        try (ProcessPool connected = ProcessPool.builder().credentials(pool.brokerUsername(), pool.brokerPassword())
                .connect(pool.brokerUrl())) {
            assertThat(connected.map("square", numbers(10))).isEqualTo(squares(10));
            assertThat(connected.workerPids()).isEmpty();
        }
        assertThat(pool.apply("upper", "still open")).isEqualTo("STILL OPEN");
    }

    @Test
    void aPoolsPrivateBrokerRefusesAConnectionWithoutItsPassword() {
        assertThatThrownBy(() -> ProcessPool.builder().credentials("procpool", "guess").connect(pool.brokerUrl()))
                .isInstanceOf(ProcessPoolException.class).hasMessageContaining("refused the login");
    }

    /** Gives "1", "2", "3", then throws {@code broken}, as a reader whose file vanishes might. */
    private static Iterable<String> inputBreakingAtItem3(RuntimeException broken) {
        return () -> new Iterator<>() {
            private int given;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public String next() {
                if (given == 3) {
                    throw broken;
                }
                return Integer.toString(++given);
            }
        };
    }

    @Test
    void imapYieldsEveryResultBeforeAnInputErrorThenRaisesItAndReleasesTheCall() {
        IllegalStateException broken = new IllegalStateException("the input broke at item 3");
        List<String> yielded = new ArrayList<>();
        Stream<String> results = pool.imap("square", inputBreakingAtItem3(broken), 1);
        try {
            Iterator<String> iterator = results.iterator();

            assertThatThrownBy(() -> iterator.forEachRemaining(yielded::add)).isSameAs(broken);
            assertThat(yielded).containsExactly("1", "4", "9");
            assertThat(pool.callsInProgress()).as("calls still registered, the stream not closed").isEmpty();
        } finally {
            results.close();
        }
    }

    @Test
    void imapUnorderedYieldsEveryResultBeforeAnInputErrorThenRaisesIt() {
        IllegalStateException broken = new IllegalStateException("the input broke at item 3");
        List<String> yielded = new ArrayList<>();
        Stream<String> results = pool.imapUnordered("square", inputBreakingAtItem3(broken), 2);
        try {
            Iterator<String> iterator = results.iterator();

            assertThatThrownBy(() -> iterator.forEachRemaining(yielded::add)).isSameAs(broken);
            assertThat(yielded).containsExactlyInAnyOrder("1", "4", "9");
            assertThat(pool.callsInProgress()).isEmpty();
        } finally {
            results.close();
        }
    }

    @Test
    void aFailedCallIsReleased() {
        assertThatThrownBy(() -> pool.map("square", List.of("1", "x"))).isInstanceOf(TaskFailedException.class);
        try (Stream<String> results = pool.imap("square", List.of("1", "x", "3"), 1)) {
            assertThatThrownBy(() -> results.toList()).isInstanceOf(TaskFailedException.class);
        }

        assertThat(pool.callsInProgress()).isEmpty();
    }

    @Test
    void aTaskClassInTheDefaultPackageRuns() throws Exception {
        Class<? extends Task> task = Class.forName("DefaultPackageTask").asSubclass(Task.class);

        assertThat(pool.map(task, List.of("a", "b"))).containsExactly("<a>", "<b>");
    }
}
