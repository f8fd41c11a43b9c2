package procpool.task.route;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.StartupSummaryLevel;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.errorhandler.DefaultErrorHandlerDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import procpool.task.Task;

/**
 * The route tasks of a tasks folder ({@code procpool.task.routes-dir}): every {@code *.yaml} file
 * in it is loaded with Camel's own YAML DSL into a Camel context of their own (apart from the worker's JMS routes:
 * a route file cannot reach the broker with the worker's account), and every route from {@code direct:<name>}
 * becomes the task {@code <name>}. Any other start ({@code timer:}, {@code file:}, a REST route) is refused, as it
 * would run by itself in every worker JVM and in the coordinator. A file that does not load, a task name taken
 * twice, or a route that does not start fails the whole start with the file's name and the cause.
 *
 * <p>A missing or empty folder costs nothing: no Camel context is made.
 */
public final class RouteTasks implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RouteTasks.class);

    /** A direct endpoint's URI as written ({@code direct:upper}, {@code direct://upper?timeout=5000}). */
    private static final Pattern DIRECT = Pattern.compile("direct:(?://)?([^?]*)(?:\\?.*)?");
    /** The task names procpool accepts (TaskRegistry's rule). */
    private static final Pattern VALID_NAME = Pattern.compile("[A-Za-z0-9_-]+");

    private static final RouteTasks NONE = new RouteTasks(null, List.of());

    private final CamelContext context;
    private final List<Task> tasks;

    private RouteTasks(CamelContext context, List<Task> tasks) {
        this.context = context;
        this.tasks = Collections.unmodifiableList(tasks);
    }

    /**
     * Loads and starts the route tasks of {@code folder} (none if it does not exist), ready to run items.
     *
     * @throws RouteFileException naming the file and the cause when a file cannot be loaded or its routes are not
     *                            tasks procpool can run
     */
    public static RouteTasks start(Path folder) {
        List<Path> files = routeFiles(folder);
        if (files.isEmpty()) {
            return NONE;
        }
        long startNanos = System.nanoTime();
        CamelContext context = newContext();
        try {
            Map<String, Path> names = load(context, files);
            startRoutes(context, folder);
            ProducerTemplate template = context.createProducerTemplate();
            List<Task> tasks = new ArrayList<>();
            names.forEach((name, file) -> tasks.add(
                    new RouteTask(name, file, context.getEndpoint("direct:" + name), template)));
            LOG.info("route tasks {} from {}, loaded in {} ms", names.keySet(), folder,
                    (System.nanoTime() - startNanos) / 1_000_000);
            return new RouteTasks(context, tasks);
        } catch (RuntimeException e) {
            context.stop();
            throw e;
        }
    }

    /**
     * The names of the route tasks of {@code folder}, checked as {@link #start} checks them (the routes are started
     * once, so an unknown component or a bad endpoint option fails here too), then stopped: what the coordinator
     * needs to accept a task name before any worker runs it.
     */
    public static List<Task> check(Path folder) {
        try (RouteTasks started = start(folder)) {
            return started.tasks();
        }
    }

    /** The route tasks, sorted by name. */
    public List<Task> tasks() {
        return tasks;
    }

    /** Stops the routes; their tasks then run no more items. */
    @Override
    public void close() {
        if (context != null) {
            context.stop();
        }
    }

    /** The route files of {@code folder}, sorted: regular files ending .yaml (or .yml, to refuse), not hidden. */
    static List<Path> routeFiles(Path folder) {
        if (folder == null || !Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(RouteTasks::isRouteFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the tasks folder " + folder + ": " + e.getMessage(), e);
        }
    }

    private static boolean isRouteFile(Path path) {
        String name = path.getFileName().toString();
        return !name.startsWith(".") && (name.endsWith(".yaml") || name.endsWith(".yml")) && Files.isRegularFile(path);
    }

    private static CamelContext newContext() {
        DefaultCamelContext context = new DefaultCamelContext();
        context.getCamelContextExtension().setName("procpool-route-tasks");
        context.setStartupSummaryLevel(StartupSummaryLevel.Off);
        // a failed item is an answer (it goes into the .error report), not something to log at ERROR per item;
        // a route file's own errorHandler or onException still applies
        context.getCamelContextExtension().setErrorHandlerFactory(new DefaultErrorHandlerDefinition()
                .logExhausted(false));
        context.getShutdownStrategy().setTimeout(5);
        return context;
    }

    /** Loads every file into {@code context}'s model, unstarted; the task names and the file each comes from. */
    private static Map<String, Path> load(CamelContext context, List<Path> files) {
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        Map<String, Path> names = new TreeMap<>();
        for (Path file : files) {
            String fileName = file.getFileName().toString();
            if (fileName.endsWith(".yml")) {
                throw new RouteFileException(file, "Camel's YAML DSL loads only files ending .yaml: rename it "
                        + fileName.substring(0, fileName.length() - ".yml".length()) + ".yaml");
            }
            int before = model.getRouteDefinitions().size();
            try {
                Resource resource = ResourceHelper.resolveMandatoryResource(context, "file:" + file);
                PluginHelper.getRoutesLoader(context).loadRoutes(resource);
            } catch (Exception | LinkageError e) {
                throw new RouteFileException(file, cause(e), e);
            }
            List<RouteDefinition> added = model.getRouteDefinitions().subList(before,
                    model.getRouteDefinitions().size());
            for (RouteDefinition route : added) {
                String name = taskName(context, file, route);
                Path other = names.putIfAbsent(name, file);
                if (other != null) {
                    throw new RouteFileException(file, "route direct:" + name + " is already defined"
                            + (other.equals(file) ? " in this file" : " in " + other));
                }
            }
        }
        return names;
    }

    /** The task name of a route from {@code direct:<name>}; any other route is refused. */
    private static String taskName(CamelContext context, Path file, RouteDefinition route) {
        String uri = route.getInput() == null ? null : route.getInput().getEndpointUri();
        String resolved;
        try {
            resolved = uri == null ? null : context.resolvePropertyPlaceholders(uri);
        } catch (RuntimeException e) {
            throw new RouteFileException(file, "route " + describe(route) + ": " + cause(e), e);
        }
        Matcher direct = resolved == null ? null : DIRECT.matcher(resolved);
        if (direct == null || !direct.matches()) {
            throw new RouteFileException(file, "route " + describe(route) + " starts from '" + resolved
                    + "'; a route task starts from direct:<task name>, so that it runs only for the items given to it");
        }
        String name = direct.group(1);
        if (!VALID_NAME.matcher(name).matches()) {
            throw new RouteFileException(file, "route " + describe(route) + ": '" + name
                    + "' is not a valid task name: use letters, digits, '-' and '_'");
        }
        return name;
    }

    private static void startRoutes(CamelContext context, Path folder) {
        try {
            context.start();
        } catch (RuntimeException e) {
            // which file: Camel names the route, and each route definition knows the file it came from
            Path file = sourceOf(context, e, folder);
            throw new RouteFileException(file, cause(e), e);
        }
    }

    /** The file of the route Camel names in {@code e} ("Route(route1)"), or the folder if it names none. */
    private static Path sourceOf(CamelContext context, Exception e, Path folder) {
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        String text = String.valueOf(e.getMessage());
        for (RouteDefinition route : model.getRouteDefinitions()) {
            String id = route.getRouteId();
            if (id != null && route.getResource() != null && text.contains("Route(" + id + ")")) {
                String location = route.getResource().getLocation();
                return Path.of(location.startsWith("file:") ? location.substring("file:".length()) : location);
            }
        }
        return folder;
    }

    private static String describe(RouteDefinition route) {
        return route.getRouteId() != null ? "'" + route.getRouteId() + "'" : "from " + route.getInput();
    }

    /** The innermost message worth showing: Camel wraps the cause in layers that repeat it. */
    static String cause(Throwable e) {
        Throwable innermost = e;
        while (innermost.getCause() != null && innermost.getCause() != innermost) {
            innermost = innermost.getCause();
        }
        String outer = String.valueOf(e.getMessage());
        String inner = innermost == e ? "" : String.valueOf(innermost.getMessage());
        if (innermost == e || outer.contains(inner)) {
            return outer;
        }
        return outer + ": " + inner;
    }
}
