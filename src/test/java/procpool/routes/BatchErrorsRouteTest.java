package procpool.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import procpool.batch.BatchFolders;
import procpool.batch.BatchTracker;
import procpool.batch.ClaimedBatch;
import procpool.chunk.ChunkSizing;
import procpool.chunk.InputLineException;
import procpool.protocol.Headers;
import procpool.task.TaskRegistry;

/**
 * The shared batch error handling ({@link BatchErrors}): a route that names it by id fails the batch it carries,
 * described the one way: file, line and cause for bad input, else the source and the innermost cause.
 */
class BatchErrorsRouteTest extends CamelTestSupport {

    @TempDir
    Path root;
    private BatchTracker batches;

    @Override
    protected RoutesBuilder[] createRouteBuilders() throws Exception {
        batches = new BatchTracker(new BatchFolders(root.resolve("inbox"), root.resolve("outbox")),
                TaskRegistry.load(null), ChunkSizing.of("auto", 2, 10_000), new JmsJobReplies(3));
        return new RoutesBuilder[] {new BatchErrors(batches), new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:hand-over").routeConfigurationId(BatchErrors.ID)
                        .process(exchange -> {
                            throw exchange.getMessage().getHeader("failure", RuntimeException.class);
                        });
            }
        }};
    }

    /** Claims {@code inbox/square/<name>} and hands it to a route that fails with {@code failure}. */
    private void claimAndFail(String name, RuntimeException failure) throws Exception {
        Path file = Files.createDirectories(root.resolve("inbox/square")).resolve(name);
        Files.writeString(file, "1\n2\n");
        ClaimedBatch claimed = batches.claim(file, false);
        template.sendBodyAndHeaders("direct:hand-over", claimed,
                Map.of(Headers.BATCH_ID, claimed.batchId(), Headers.SOURCE, name, "failure", failure));
    }

    @Test
    void aFailedHandOverRejectsTheInputNamingItsSourceAndTheInnermostCause() throws Exception {
        claimAndFail("in.txt", new IllegalStateException("hand-over failed", new IOException("disk gone")));

        assertThat(Files.readString(root.resolve("outbox/in.txt.error")))
                .startsWith("error: in.txt: java.io.IOException: disk gone\n");
        assertThat(root.resolve("inbox/.failed/square/in.txt")).exists();
    }

    @Test
    void aBadLineIsDescribedByItsFileLineAndCauseAlone() throws Exception {
        InputLineException badLine = new InputLineException(Path.of("bad.txt"), 7, "not valid UTF-8 text", null);
        claimAndFail("bad.txt", new IllegalStateException("reading failed", badLine));

        assertThat(Files.readString(root.resolve("outbox/bad.txt.error")))
                .startsWith("error: bad.txt line 7: not valid UTF-8 text\n");
    }
}
