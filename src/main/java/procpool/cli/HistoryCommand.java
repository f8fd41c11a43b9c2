package procpool.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "history", mixinStandardHelpOptions = true,
        header = "Show the batches a running coordinator has finished, the most recent first.",
        description = {"The last procpool.history.size batches (kept across restarts): id, outcome (done, failed, "
                + "cancelled), source, items, failed items, duration, rate, workers, output.",
            "Exit status: 0 with the history on standard output; 1 when no coordinator answers.",
            "Talks to the coordinator over its broker, as status does, with the same login."})
final class HistoryCommand implements Callable<Integer> {

    @ParentCommand
    ProcpoolCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print the history as JSON: what GET /api/history serves.")
    boolean json;

    @Mixin
    CoordinatorClient coordinator;

    @Override
    public Integer call() throws Exception {
        return CoordinatorClient.print(spec, coordinator.ask(parent, spec, json ? "history-json" : "history",
                "history", null), null);
    }
}
