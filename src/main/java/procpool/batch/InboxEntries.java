package procpool.batch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Which inbox entries procpool may read: regular files only, judged by what the entry itself is (its links are not
 * followed), so a link to a secret, a named pipe that blocks whoever opens it or an endless device is refused before
 * anything opens it. Links to regular files may be allowed ({@code procpool.inbox.follow-symlinks}); links to
 * folders never are. Looking at an entry never opens it.
 */
public final class InboxEntries {

    private static final String ONLY_REGULAR = "procpool reads only regular files";

    private InboxEntries() {
    }

    /**
     * Why the entry must not be read as a batch input, or null if it may: a regular file, or, if
     * {@code followSymlinks}, a symbolic link to one.
     */
    public static String refusalOfFile(Path entry, boolean followSymlinks) throws IOException {
        BasicFileAttributes itself = Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (itself.isRegularFile()) {
            return null;
        }
        if (itself.isDirectory()) {
            return "a folder; put batch files directly in inbox/<task>/";
        }
        if (!itself.isSymbolicLink()) {
            return kind(entry) + "; " + ONLY_REGULAR;
        }
        if (!followSymlinks) {
            return "a symbolic link; " + ONLY_REGULAR
                    + " (set procpool.inbox.follow-symlinks=true to allow links to regular files)";
        }
        Path target = Files.readSymbolicLink(entry);
        BasicFileAttributes linked;
        try {
            linked = Files.readAttributes(entry, BasicFileAttributes.class);
        } catch (NoSuchFileException broken) {
            return "a symbolic link to nothing (" + target + " does not exist)";
        }
        if (linked.isRegularFile()) {
            return null;
        }
        String what = linked.isDirectory() ? "a folder" : kind(entry);
        return "a symbolic link to " + what + " (" + target + "); procpool follows links only to regular files";
    }

    /** Why procpool must not look into this folder of the inbox, or null if it is a real folder (not a link). */
    public static String refusalOfFolder(Path entry) throws IOException {
        if (Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isDirectory()) {
            return null;
        }
        return "a symbolic link to a folder; procpool never follows links to folders";
    }

    /** Names a special file, or what a link leads to: "a named pipe (FIFO)", "a character device"... */
    private static String kind(Path path) {
        int type;
        try {
            type = (Integer) Files.getAttribute(path, "unix:mode") & 0170000;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException noUnixView) {
            return "a special file (not a regular file)";
        }
        return switch (type) {
            case 0010000 -> "a named pipe (FIFO)";
            case 0020000 -> "a character device";
            case 0060000 -> "a block device";
            case 0140000 -> "a socket";
            default -> "a special file (not a regular file)";
        };
    }
}
