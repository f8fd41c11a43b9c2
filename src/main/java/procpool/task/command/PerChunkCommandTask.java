package procpool.task.command;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

import procpool.task.ChunkTask;

/**
 * A command task in per-chunk mode (Hadoop Streaming, {@code parallel --pipe -k}): one process per chunk, the
 * chunk's items written to its stdin one per line, stdin then closed; its stdout must hold exactly one line per
 * item, in the same order ({@code \n}, {@code \r\n} or {@code \r} ends a line, as in an input file).
 */
final class PerChunkCommandTask implements ChunkTask {

    private final DeclaredCommand declared;

    PerChunkCommandTask(DeclaredCommand declared) {
        this.declared = declared;
    }

    @Override
    public String name() {
        return declared.name();
    }

    @Override
    public List<String> applyChunk(List<String> items) {
        for (int i = 0; i < items.size(); i++) {
            String item = items.get(i);
            if (item.indexOf('\n') >= 0 || item.indexOf('\r') >= 0) {
                throw new CommandFailedException("item " + (i + 1) + " of the chunk holds a line break; a per-chunk "
                        + "command reads one item per line");
            }
        }
        if (items.isEmpty()) {
            return List.of();
        }
        return CommandRun.run(declared, declared.words(), in -> {
            for (String item : items) {
                in.write(item);
                in.write('\n');
            }
        }, out -> lines(out, items.size()));
    }

    private static List<String> lines(Reader out, int expected) throws IOException {
        List<String> lines = new ArrayList<>(expected);
        BufferedReader reader = new BufferedReader(out, 65536);
        String line;
        while ((line = reader.readLine()) != null) {
            if (lines.size() == expected) {
                throw new CommandRun.OutputRejected("printed more than " + count(expected, "line") + " for "
                        + count(expected, "item") + "; a per-chunk command prints one line per item", false);
            }
            lines.add(line);
        }
        if (lines.size() != expected) {
            throw new CommandRun.OutputRejected("printed " + count(lines.size(), "line") + " for "
                    + count(expected, "item") + "; a per-chunk command prints one line per item", true);
        }
        return lines;
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    @Override
    public String toString() {
        return "per-chunk " + declared.shown();
    }
}
