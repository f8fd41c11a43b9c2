package procpool.cli;

import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * How procpool reports a usage error (an unknown option, a bad value, a missing command or file): one line
 * {@code procpool <command>: <what is wrong>} first, so that scripts and people see the cause at once, then where to
 * read more; exit code 2.
 */
final class UsageErrors {

    static final String MISSING_COMMAND = "missing command: coordinator, worker, submit, status or broker";

    private UsageErrors() {
    }

    /** {@code procpool: } or {@code procpool submit: }. */
    static String prefix(CommandLine command) {
        return command.getParent() == null ? "procpool: " : "procpool " + command.getCommandName() + ": ";
    }

    static int handle(ParameterException error, String[] args) {
        CommandLine command = error.getCommandLine();
        PrintWriter err = command.getErr();
        err.println(prefix(command) + error.getMessage());
        if (MISSING_COMMAND.equals(error.getMessage())) {
            command.usage(err);
        } else {
            CommandLine.UnmatchedArgumentException.printSuggestions(error, err);
            err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for more information.");
        }
        err.flush();
        return ProcpoolCommand.EXIT_USAGE;
    }

    /** A usage error of {@code command} found by its own checks (a value out of range, a missing file). */
    static ParameterException of(CommandLine command, String message) {
        return new ParameterException(command, message);
    }
}
