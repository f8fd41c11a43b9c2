package procpool.chunk;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/**
 * An input file's size and modification time at one moment. Taken when a batch starts reading its input and
 * compared after: a file still being written when it was picked up (its writer paused for longer than the read lock)
 * shows up as a change, instead of as a silently short output.
 *
 * @param size     bytes, or -1 if the file could not be read
 * @param modified last modification, or null if the file could not be read
 */
public record InputSnapshot(long size, FileTime modified) {

    public static InputSnapshot of(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return new InputSnapshot(attributes.size(), attributes.lastModifiedTime());
        } catch (IOException gone) {
            return new InputSnapshot(-1, null);
        }
    }

    /**
     * Null if {@code later} shows the same file, else what changed, as {@code input changed while being read: ...}
     * with what to do about it.
     */
    public String changeTo(InputSnapshot later) {
        if (equals(later)) {
            return null;
        }
        String what;
        if (later.size < 0) {
            what = "it was deleted or moved away";
        } else if (later.size != size) {
            what = "it " + (later.size > size ? "grew" : "shrank") + " from " + size + " to " + later.size + " bytes";
        } else {
            what = "it was modified at " + later.modified + " (it was " + modified + " when picked up)";
        }
        return "input changed while being read: " + what + "; write the file elsewhere and move it into the inbox in "
                + "one step, or raise procpool.inbox.read-lock-min-age-ms above the writer's longest pause";
    }
}
