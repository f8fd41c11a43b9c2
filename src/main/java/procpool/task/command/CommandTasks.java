package procpool.task.command;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import procpool.config.Settings;
import procpool.config.TaskSettings;
import procpool.task.Task;

/**
 * The command tasks the operator declared in the settings ({@code procpool.task.<name>.command} and friends), the
 * only way a command gets run: a job or a chunk can name a declared task, never a program.
 */
public final class CommandTasks {

    private CommandTasks() {
    }

    /**
     * The declared command tasks.
     *
     * @param checkPrograms whether each program (and directory) must be usable on this machine: a JVM that will run
     *                      them checks at its start, so a missing program fails it at once, naming the setting
     * @throws IllegalArgumentException naming the setting, for a command that cannot be split or run here
     */
    public static List<Task> declared(Settings settings, boolean checkPrograms) {
        ChildProcesses.INSTANCE.graceMillis(settings.getLong("camel.main.shutdown-timeout") * 1000);
        List<Task> tasks = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (TaskSettings task : settings.tasks().values()) {
            Optional<DeclaredCommand> declared;
            try {
                declared = DeclaredCommand.of(task);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
                continue;
            }
            if (declared.isEmpty()) {
                continue;
            }
            if (checkPrograms) {
                Optional<String> why = declared.get().whyNotRunnableHere(System.getenv("PATH"));
                if (why.isPresent()) {
                    problems.add(why.get());
                    continue;
                }
            }
            tasks.add(declared.get().perChunk() ? new PerChunkCommandTask(declared.get())
                    : new PerItemCommandTask(declared.get()));
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return tasks;
    }
}
