package procpool.cli;

import java.nio.file.Files;
import java.nio.file.Path;

import picocli.CommandLine;

import procpool.protocol.JobMessage;
import procpool.task.TaskNames;

/**
 * What {@code procpool submit} can tell is wrong before it sends anything: a missing input file, a chunk size below 1,
 * a batch name or task name the coordinator would refuse. Each is a usage error (exit 2), said once, in the terms of
 * the command line rather than of the wire.
 */
final class SubmitChecks {

    private SubmitChecks() {
    }

    static void check(CommandLine command, String task, String input, String name, Integer chunkSize,
                      long timeoutSeconds) {
        if (!TaskNames.isValid(task)) {
            throw UsageErrors.of(command, "--task: " + TaskNames.problem(task));
        }
        if (chunkSize != null && chunkSize < 1) {
            throw UsageErrors.of(command, "--chunk-size must be at least 1, was " + chunkSize);
        }
        if (name != null && !JobMessage.isValidBatchName(name)) {
            throw UsageErrors.of(command, "invalid --name '" + name + "': use letters, digits, '.', '-' and '_' "
                    + "(at most 200), not starting with '.'");
        }
        WaitSeconds.check(command, "--timeout", timeoutSeconds);
        if (!"-".equals(input)) {
            Path file = Path.of(input);
            if (!Files.exists(file)) {
                throw UsageErrors.of(command, "no such file: " + input);
            }
            if (Files.isDirectory(file)) {
                throw UsageErrors.of(command, "a directory, not a file: " + input);
            }
            if (!Files.isReadable(file)) {
                throw UsageErrors.of(command, "permission denied: " + input);
            }
        }
    }

    /** The input file's name, when it is a valid batch name: errors then say {@code nums.txt line 3}. */
    static String nameOf(String input) {
        if ("-".equals(input)) {
            return null;
        }
        Path fileName = Path.of(input).getFileName();
        return fileName != null && JobMessage.isValidBatchName(fileName.toString()) ? fileName.toString() : null;
    }

    /** Items in {@code bytes} as the coordinator counts them: lines, the last one with or without a line break. */
    static long itemCount(byte[] bytes) {
        long lines = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n' || (bytes[i] == '\r' && (i + 1 == bytes.length || bytes[i + 1] != '\n'))) {
                lines++;
            }
        }
        boolean unterminated = bytes.length > 0 && bytes[bytes.length - 1] != '\n' && bytes[bytes.length - 1] != '\r';
        return lines + (unterminated ? 1 : 0);
    }
}
