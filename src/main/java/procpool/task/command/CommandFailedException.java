package procpool.task.command;

/**
 * A command that failed its item (or its chunk's items): the message says how (exit code, timeout, too many lines)
 * and quotes the end of its stderr. An {@link IllegalArgumentException}, as any rejected item, so an error report
 * shows the message alone; it carries no Java stack trace, which would say nothing about the command.
 */
public final class CommandFailedException extends IllegalArgumentException {

    public CommandFailedException(String message) {
        super(message);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
