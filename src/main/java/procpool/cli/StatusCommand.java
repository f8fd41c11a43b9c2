package procpool.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "status", mixinStandardHelpOptions = true,
        header = "Ask a running coordinator for its workers, queue depths and batches in flight.",
        description = {"Exit status: 0 with the report on standard output; 1 when no coordinator answers.",
            "Logs in as submit does: the client account, else the service account, else the password the "
                + "coordinator keeps in <procpool.broker.data-dir>/service-credentials.properties on this machine."})
final class StatusCommand implements Callable<Integer> {

    @ParentCommand
    ProcpoolCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    CoordinatorClient coordinator;

    @Option(names = "--json", description = "Print the status as JSON: the document GET /api/status serves.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        return CoordinatorClient.print(spec, coordinator.ask(parent, spec, json ? "status-json" : "status", "status",
                null), null);
    }
}
