package procpool.cli;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * The JDK's file exceptions say only the path ({@code /nonexistent}); this says what happened to it
 * ({@code no such file: /nonexistent}).
 */
final class FileErrors {

    private FileErrors() {
    }

    static String describe(Throwable error) {
        if (error instanceof FileSystemException file && file.getFile() != null) {
            String what = error instanceof NoSuchFileException ? "no such file"
                    : error instanceof AccessDeniedException ? "permission denied"
                    : error instanceof NotDirectoryException ? "not a directory"
                    : file.getReason() != null ? file.getReason() : error.getClass().getSimpleName();
            return what + ": " + file.getFile() + (file.getOtherFile() != null ? " -> " + file.getOtherFile() : "");
        }
        return String.valueOf(error.getMessage() != null ? error.getMessage() : error);
    }
}
