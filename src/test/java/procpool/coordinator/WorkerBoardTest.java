package procpool.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WorkerBoardTest {

    private final WorkerBoard board = new WorkerBoard("procpool.tasks.workers");

    @Test
    void eachWorkerIsListedOnceAsItLastReported() throws Exception {
        board.record("{\"pid\":4711,\"host\":\"b\",\"chunksDone\":1}");
        board.record("{\"pid\":4711,\"host\":\"a\",\"chunksDone\":5}");
        board.record("{\"pid\":4711,\"host\":\"b\",\"chunksDone\":2}");

        assertThat(board.workers()).extracting(node -> node.get("host").asText() + " " + node.get("chunksDone"))
                .containsExactly("a 5", "b 2");
    }

    @Test
    void aReportWithoutPidOrHostIsIgnored() throws Exception {
        board.record("{\"pid\":\"x\",\"host\":\"a\"}");
        board.record("{\"host\":\"a\"}");
        board.record("[1,2]");

        assertThat(board.workers()).isEmpty();
    }

    @Test
    void aReportThatIsNotJsonIsRefused() {
        assertThatThrownBy(() -> board.record("pid=4711")).isInstanceOf(Exception.class);
        assertThat(board.workers()).isEmpty();
    }
}
