package procpool.task.command;

import java.io.Reader;
import java.io.StringWriter;

import procpool.task.Task;

/**
 * A command task in per-item mode: one process per item, the item as one argument where the command says
 * {@code {}}, else on its stdin (one line); the result is its stdout without the final line break, one line.
 */
final class PerItemCommandTask implements Task {

    private final DeclaredCommand declared;
    private final boolean itemAsArgument;

    PerItemCommandTask(DeclaredCommand declared) {
        this.declared = declared;
        this.itemAsArgument = declared.takesItemAsArgument();
    }

    @Override
    public String name() {
        return declared.name();
    }

    @Override
    public String apply(String item) {
        if (itemAsArgument) {
            return CommandRun.run(declared, declared.argumentsWith(item), CommandRun.Stdin.NONE, this::result);
        }
        return CommandRun.run(declared, declared.words(), in -> {
            in.write(item);
            in.write('\n');
        }, this::result);
    }

    /** The whole output without its final line break, which must leave one line. */
    private String result(Reader out) throws java.io.IOException {
        StringWriter written = new StringWriter();
        out.transferTo(written);
        StringBuffer text = written.getBuffer();
        int end = text.length();
        if (end >= 2 && text.charAt(end - 2) == '\r' && text.charAt(end - 1) == '\n') {
            end -= 2;
        } else if (end >= 1 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
            end -= 1;
        }
        String result = text.substring(0, end);
        if (result.indexOf('\n') >= 0 || result.indexOf('\r') >= 0) {
            long lines = result.lines().count();
            throw new CommandRun.OutputRejected("printed " + lines + " lines; a per-item command prints one line, its "
                    + "result", true);
        }
        return result;
    }

    @Override
    public String toString() {
        return "per-item " + declared.shown();
    }
}
