package procpool.task.route;

import java.nio.file.Path;

/** A route file of the tasks folder that procpool cannot use: its message names the file and the cause. */
public final class RouteFileException extends IllegalArgumentException {

    private final transient Path file;

    RouteFileException(Path file, String cause) {
        this(file, cause, null);
    }

    RouteFileException(Path file, String cause, Throwable error) {
        super("route file " + file + ": " + cause, error);
        this.file = file;
    }

    /** The file (the tasks folder itself when Camel did not say which of its files failed). */
    public Path file() {
        return file;
    }
}
