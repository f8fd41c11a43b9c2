package procpool.worker;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Why a supervised worker JVM gave up before taking any work (its initializer threw), written next to its heartbeat
 * file for its supervisor: a worker that fails the same way at every start is then told apart from one that died,
 * and its owner can report the cause instead of replacing it for ever.
 */
public final class StartFailure {

    private StartFailure() {
    }

    static Path fileFor(Path heartbeatFile) {
        return heartbeatFile.resolveSibling(heartbeatFile.getFileName() + ".start-failure");
    }

    /** Records {@code what} failed and the error with its stack trace; best effort, the exit code still tells. */
    static void record(Path heartbeatFile, String what, Throwable error) {
        StringWriter trace = new StringWriter();
        error.printStackTrace(new PrintWriter(trace));
        try {
            Files.writeString(fileFor(heartbeatFile), what + " failed: " + error + "\n" + trace,
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            // the supervisor still sees the exit, only not why
        }
    }

    /** What the worker recorded, or null if nothing. */
    public static String read(Path heartbeatFile) {
        try {
            return Files.readString(fileFor(heartbeatFile), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }
}
