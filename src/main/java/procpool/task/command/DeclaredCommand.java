package procpool.task.command;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import procpool.config.TaskSettings;

/**
 * A command task as the operator declared it: {@code procpool.task.<name>.command} split into words
 * ({@link CommandWords}), its mode, time limit, working directory and extra environment. Immutable.
 *
 * @param timeoutMillis per item (per chunk in per-chunk mode); 0 = none of its own
 * @param directory     null: the worker's working directory
 */
record DeclaredCommand(String name, String command, List<String> words, boolean perChunk, long timeoutMillis,
                       Path directory, Map<String, String> environment) {

    static final String PLACEHOLDER = "{}";

    DeclaredCommand {
        words = List.copyOf(words);
        environment = Map.copyOf(environment);
    }

    /** The command of {@code task}, if it declares one; a malformed one is an error naming its setting. */
    static Optional<DeclaredCommand> of(TaskSettings task) {
        Optional<String> command = task.get("command");
        if (command.isEmpty()) {
            for (String property : List.of("mode", "timeout-ms", "directory")) {
                if (task.get(property).isPresent()) {
                    throw new IllegalArgumentException(task.key(property) + " is set but " + task.key("command")
                            + " is not: only command tasks have it");
                }
            }
            if (!task.environment().isEmpty()) {
                throw new IllegalArgumentException(task.key("env." + task.environment().keySet().iterator().next())
                        + " is set but " + task.key("command") + " is not: only command tasks have it");
            }
            return Optional.empty();
        }
        List<String> words;
        try {
            words = CommandWords.split(command.get());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(task.key("command") + ": " + e.getMessage(), e);
        }
        if (words.isEmpty()) {
            throw new IllegalArgumentException(task.key("command") + " is empty: name a program and its arguments");
        }
        boolean perChunk = task.get("mode").map("per-chunk"::equals).orElse(false);
        long timeout = task.get("timeout-ms").map(Long::parseLong).orElse(0L);
        Path directory = task.get("directory").filter(d -> !d.isEmpty()).map(Path::of).orElse(null);
        return Optional.of(new DeclaredCommand(task.name(), command.get(), words, perChunk, timeout, directory,
                task.environment()));
    }

    /**
     * Whether the item goes in the arguments ({@code {}}) rather than on stdin. Only per-item: a per-chunk command
     * gets its items on stdin and its {@code {}} as it is ({@code jq '{}'} is a program of its own).
     */
    boolean takesItemAsArgument() {
        return !perChunk && words.stream().anyMatch(word -> word.contains(PLACEHOLDER));
    }

    /** The words with every {@code {}} replaced by {@code item}, each word staying one argument. */
    List<String> argumentsWith(String item) {
        List<String> arguments = new ArrayList<>(words.size());
        for (String word : words) {
            arguments.add(word.replace(PLACEHOLDER, item));
        }
        return arguments;
    }

    /** The full key of {@code property} of this task, for messages. */
    String key(String property) {
        return TaskSettings.PREFIX + name + "." + property;
    }

    /** The program, as the command's first word names it. */
    String program() {
        return words.get(0);
    }

    /** How error messages name this command: the task and its program. */
    String shown() {
        return "command " + procpool.chunk.ErrorTexts.printable(program(), 200) + " of task " + name;
    }

    /**
     * Why the program or the directory cannot be used on this machine, if so: a program named with a '/' must be an
     * executable file (relative to the directory), any other must be found on the PATH the command gets.
     */
    Optional<String> whyNotRunnableHere(String workerPath) {
        if (directory != null && !Files.isDirectory(directory)) {
            return Optional.of(TaskSettings.PREFIX + name + ".directory: " + directory.toAbsolutePath()
                    + " is not a directory");
        }
        String program = program();
        if (program.contains("/")) {
            Path path = directory == null ? Path.of(program) : directory.resolve(program);
            if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
                return Optional.of(TaskSettings.PREFIX + name + ".command: program " + path.toAbsolutePath()
                        + (Files.exists(path) ? " is not an executable file" : " does not exist"));
            }
            return Optional.empty();
        }
        String path = environment.getOrDefault("PATH", workerPath == null ? "" : workerPath);
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir).resolve(program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.empty();
            }
        }
        return Optional.of(TaskSettings.PREFIX + name + ".command: program '" + program + "' is not on the PATH ("
                + path + "); name it with its full path, or install it");
    }
}
