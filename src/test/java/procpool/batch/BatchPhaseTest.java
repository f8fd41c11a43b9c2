package procpool.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static procpool.batch.BatchPhase.CANCELLED;
import static procpool.batch.BatchPhase.DONE;
import static procpool.batch.BatchPhase.FAILED;
import static procpool.batch.BatchPhase.FAILING;
import static procpool.batch.BatchPhase.RUNNING;

/** The batch state machine: the six legal steps, and every other step refused. */
class BatchPhaseTest {

    private static final Set<List<BatchPhase>> LEGAL = Set.of(
            List.of(RUNNING, FAILING), List.of(RUNNING, DONE), List.of(RUNNING, FAILED), List.of(FAILING, FAILED),
            List.of(RUNNING, CANCELLED), List.of(FAILING, CANCELLED));

    static Stream<Arguments> legalSteps() {
        return LEGAL.stream().map(step -> Arguments.of(step.get(0), step.get(1)));
    }

    static Stream<Arguments> illegalSteps() {
        List<Arguments> illegal = new ArrayList<>();
        for (BatchPhase from : BatchPhase.values()) {
            for (BatchPhase to : BatchPhase.values()) {
                if (!LEGAL.contains(List.of(from, to))) {
                    illegal.add(Arguments.of(from, to));
                }
            }
        }
        return illegal.stream();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("legalSteps")
    void aLegalStepIsTaken(BatchPhase from, BatchPhase to) {
        assertThat(from.to(to)).isEqualTo(to);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("illegalSteps")
    void anIllegalStepIsRefused(BatchPhase from, BatchPhase to) {
        assertThatThrownBy(() -> from.to(to)).isInstanceOf(IllegalStateException.class)
                .hasMessage("a batch cannot go from " + from + " to " + to);
    }

    @Test
    void aFailingBatchCanNoLongerBeDelivered() {
        assertThatThrownBy(() -> FAILING.to(DONE)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void onlyDoneFailedAndCancelledAreOver() {
        assertThat(Stream.of(BatchPhase.values()).filter(BatchPhase::over)).containsExactly(DONE, FAILED, CANCELLED);
    }

    @Test
    void aCancelledBatchNeverEndsAgain() {
        for (BatchPhase to : BatchPhase.values()) {
            assertThatThrownBy(() -> CANCELLED.to(to)).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void aFinishedBatchCannotBeCancelled() {
        assertThatThrownBy(() -> DONE.to(CANCELLED)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> FAILED.to(CANCELLED)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void everyPhaseButTheEndsHasAWayOn() {
        for (BatchPhase from : BatchPhase.values()) {
            boolean hasNext = Stream.of(BatchPhase.values()).anyMatch(to -> LEGAL.contains(List.of(from, to)));
            assertThat(hasNext).as(from.toString()).isEqualTo(!from.over());
        }
    }
}
