package procpool.task;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The tasks this JVM can run: the built-in ones plus those of every jar in the plugins folder, all found with
 * {@link ServiceLoader}. Immutable once loaded, so it is safe to share between threads.
 */
public final class TaskRegistry {

    private static final Pattern VALID_NAME = Pattern.compile("[A-Za-z0-9_-]+");

    private final Map<String, Task> tasks;
    private final ClassLoader loader;
    /** Task classes named by class rather than by registered name, instantiated once each. */
    private final Map<String, Task> byClass = new ConcurrentHashMap<>();

    private TaskRegistry(Map<String, Task> tasks, ClassLoader loader) {
        this.tasks = Collections.unmodifiableMap(tasks);
        this.loader = loader;
    }

    /** Built-in tasks plus those in the jars of {@code pluginsDir} (a missing folder means no plugins). */
    public static TaskRegistry load(Path pluginsDir) {
        ClassLoader loader = pluginClassLoader(pluginsDir);
        Map<String, Task> tasks = new TreeMap<>();
        for (Task task : ServiceLoader.load(Task.class, loader)) {
            String name = task.name();
            if (name == null || !VALID_NAME.matcher(name).matches()) {
                throw new IllegalStateException("task class " + task.getClass().getName()
                        + " has an invalid name '" + name + "': use letters, digits, '-' and '_'");
            }
            Task previous = tasks.putIfAbsent(name, task);
            if (previous != null && previous.getClass() != task.getClass()) {
                throw new IllegalStateException("task name '" + name + "' is claimed by both "
                        + previous.getClass().getName() + " and " + task.getClass().getName());
            }
        }
        return new TaskRegistry(tasks, loader);
    }

    /**
     * This registry plus {@code more} (tasks declared outside any jar: command tasks of the settings, route tasks of
     * the tasks folder), which share its class loader. A name already taken fails, naming both: a declared task
     * cannot stand in for a built-in or plugin task.
     */
    public TaskRegistry with(java.util.Collection<? extends Task> more) {
        Map<String, Task> all = new TreeMap<>(tasks);
        for (Task task : more) {
            Task previous = all.putIfAbsent(task.name(), task);
            if (previous != null) {
                throw new IllegalStateException("task name '" + task.name() + "' is claimed by both "
                        + describe(previous) + " and " + describe(task));
            }
        }
        return new TaskRegistry(all, loader);
    }

    /** A task as a message names it: its own description if it has one (a route's file), else its class. */
    private static String describe(Task task) {
        String text = task.toString();
        String className = task.getClass().getName();
        return text.startsWith(className + "@") ? className : text;
    }

    /** The task registered under {@code name}. */
    public Optional<Task> find(String name) {
        return Optional.ofNullable(tasks.get(name));
    }

    /**
     * The task registered under {@code nameOrClass}, or else an instance of the class of that name if it
     * implements {@link Task} (how the Java API sends a caller's own task class to worker JVMs that share its
     * classpath). Only {@link Task} implementations are ever instantiated.
     */
    public Optional<Task> resolve(String nameOrClass) {
        Task registered = tasks.get(nameOrClass);
        if (registered != null) {
            return Optional.of(registered);
        }
        // any name, dotted or not: a class in the default package is a class too
        try {
            return Optional.of(byClass.computeIfAbsent(nameOrClass, this::instantiate));
        } catch (IllegalArgumentException notATask) {
            return Optional.empty();
        }
    }

    /**
     * Why {@link #resolve} would find no task for {@code nameOrClass}, or empty if it would find one. Loads a
     * class of that name but neither initialises nor instantiates it, so no code of the task runs here.
     */
    public Optional<String> whyUnresolvable(String nameOrClass) {
        if (tasks.containsKey(nameOrClass)) {
            return Optional.empty();
        }
        try {
            taskClass(nameOrClass).getDeclaredConstructor();
            return Optional.empty();
        } catch (ClassNotFoundException e) {
            return Optional.of(unknownTaskMessage(nameOrClass) + ", and no class of that name");
        } catch (NoSuchMethodException e) {
            return Optional.of("task class " + nameOrClass + " has no constructor without arguments");
        } catch (IllegalArgumentException | LinkageError e) {
            return Optional.of(e.getMessage());
        }
    }

    private Task instantiate(String className) {
        try {
            return taskClass(className).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalArgumentException("cannot create task " + className + ": " + e, e);
        }
    }

    private Class<? extends Task> taskClass(String className) throws ClassNotFoundException {
        Class<?> type = Class.forName(className, false, loader);
        if (!Task.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException(className + " does not implement " + Task.class.getName());
        }
        return type.asSubclass(Task.class);
    }

    public Set<String> names() {
        return tasks.keySet();
    }

    /** The message users see for a name nobody registered. */
    public String unknownTaskMessage(String name) {
        return "unknown task '" + name + "' (known tasks: " + String.join(", ", names()) + ")";
    }

    private static ClassLoader pluginClassLoader(Path pluginsDir) {
        ClassLoader parent = TaskRegistry.class.getClassLoader();
        if (pluginsDir == null || !Files.isDirectory(pluginsDir)) {
            return parent;
        }
        List<URL> jars = new ArrayList<>();
        try (Stream<Path> files = Files.list(pluginsDir)) {
            for (Path jar : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".jar")).sorted()::iterator) {
                jars.add(jar.toUri().toURL());
            }
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list plugins folder " + pluginsDir, e);
        }
        return jars.isEmpty() ? parent : new URLClassLoader(jars.toArray(URL[]::new), parent);
    }
}
