package procpool.cli;

import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "dlq", mixinStandardHelpOptions = true,
        header = "List, show, replay or discard the messages in a running coordinator's dead-letter queues.",
        description = {"list: every dead letter of DLQ.procpool.tasks, .results and .jobs, with batch, chunk, "
                + "lines, redeliveries and cause; a dead chunk its batch waits for "
                + "(procpool.batch.dead-chunk-wait-ms) says until when. show ID: one with its body. replay ID: sends "
                + "a fresh copy back to the queue it died on (a chunk gets all its attempts again and its batch goes "
                + "on); refused for a rejected job (resubmit it) and for a chunk whose batch has ended. discard ID: "
                + "deletes it; for a dead chunk its batch waits for, the batch fails at once.",
            "Exit status: 0 when done; 1 when there is no dead letter with that id, the replay is refused, or no "
                + "coordinator answers.",
            "Talks to the coordinator over its broker, as status does, with the same login."})
final class DlqCommand implements Callable<Integer> {

    private static final List<String> ACTIONS = List.of("list", "show", "replay", "discard");

    @ParentCommand
    ProcpoolCommand parent;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ACTION", description = "list, show, replay or discard.")
    String action;

    @Parameters(index = "1", arity = "0..1", paramLabel = "ID",
            description = "The dead letter's message id, as list shows it (not for list).")
    String messageId;

    @Mixin
    CoordinatorClient coordinator;

    @Override
    public Integer call() throws Exception {
        if (!ACTIONS.contains(action) || ("list".equals(action) != (messageId == null))) {
            spec.commandLine().getErr().println("procpool dlq: use list, or show|replay|discard ID");
            return 2;
        }
        return CoordinatorClient.print(spec, coordinator.ask(parent, spec, "dlq-" + action,
                messageId == null ? "" : messageId, null), "ok");
    }
}
