package procpool.batch;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;

/**
 * A write to disk that failed, saying what was being written, e.g. {@code no space left on device while writing
 * outbox/x.txt}: the cause a user can act on, for the log and the {@code .error} report.
 */
final class WriteFailedException extends IOException {

    WriteFailedException(Path file, IOException cause) {
        super(reason(cause) + " while writing " + file, cause);
    }

    /** The operating system's reason without the Java noise: "no space left on device". */
    static String reason(IOException e) {
        String reason = e instanceof FileSystemException fs && fs.getReason() != null ? fs.getReason() : e.getMessage();
        if (reason == null || reason.isBlank()) {
            return e.toString();
        }
        // "No space left on device" reads as part of a sentence; keep acronyms such as "I/O error" as they are
        return reason.length() > 1 && Character.isUpperCase(reason.charAt(0)) && Character.isLowerCase(reason.charAt(1))
                ? Character.toLowerCase(reason.charAt(0)) + reason.substring(1) : reason;
    }
}
