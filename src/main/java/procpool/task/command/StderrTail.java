package procpool.task.command;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import procpool.chunk.ErrorTexts;

/**
 * The last lines a command wrote to its stderr, for its error message, read in bounded memory whatever it writes:
 * at most {@value #LINES} lines of at most {@value #LINE_CHARS} characters each are kept (undecodable bytes shown
 * as U+FFFD: this is for people to read).
 */
final class StderrTail {

    static final int LINES = 5;
    static final int LINE_CHARS = 300;

    private final Deque<String> lines = new ArrayDeque<>();

    /** Reads {@code stderr} to its end. */
    static StderrTail read(InputStream stderr) {
        StderrTail tail = new StderrTail();
        try (Reader reader = new InputStreamReader(stderr, StandardCharsets.UTF_8)) {
            char[] buffer = new char[8192];
            StringBuilder line = new StringBuilder();
            int cut = 0;
            int n;
            while ((n = reader.read(buffer)) > 0) {
                for (int i = 0; i < n; i++) {
                    char c = buffer[i];
                    if (c == '\n' || c == '\r') {
                        tail.add(line, cut);
                        line.setLength(0);
                        cut = 0;
                    } else if (line.length() < LINE_CHARS) {
                        line.append(c);
                    } else {
                        cut++;
                    }
                }
            }
            tail.add(line, cut);
        } catch (IOException e) {
            // the process is gone (killed): what was read is what there is
        }
        return tail;
    }

    private void add(StringBuilder line, int cut) {
        String text = line.toString().strip();
        if (text.isEmpty()) {
            return;
        }
        if (cut > 0) {
            text += "…(" + cut + " more characters)";
        }
        synchronized (lines) {
            lines.addLast(ErrorTexts.printable(text, LINE_CHARS + 40));
            if (lines.size() > LINES) {
                lines.removeFirst();
            }
        }
    }

    List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** {@code "; stderr: a | b"} (the last lines), or {@code "; nothing on stderr"}. */
    String describe() {
        List<String> last = lines();
        return last.isEmpty() ? "; nothing on stderr" : "; stderr: " + String.join(" | ", last);
    }

    static StderrTail empty() {
        return new StderrTail();
    }
}
