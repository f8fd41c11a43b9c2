package procpool.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "cancel", mixinStandardHelpOptions = true,
        header = "Cancel a batch in flight on a running coordinator.",
        description = {"The coordinator stops sending the batch's chunks, removes those still queued, drops late "
                + "results, writes outbox/<file>.error saying \"cancelled by CLI\" and moves the input to "
                + "inbox/.failed/.",
            "Exit status: 0 when the batch was cancelled; 1 when no batch with that id is in flight (unknown, or "
                + "already finished) or no coordinator answers.",
            "Talks to the coordinator over its broker, as status does, with the same login."})
final class CancelCommand implements Callable<Integer> {

    @ParentCommand
    ProcpoolCommand parent;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "BATCH-ID", description = "The batch to cancel, as status shows it.")
    String batchId;

    @Mixin
    CoordinatorClient coordinator;

    @Override
    public Integer call() throws Exception {
        return CoordinatorClient.print(spec, coordinator.ask(parent, spec, "cancel", batchId, "CLI"), "cancelled");
    }
}
