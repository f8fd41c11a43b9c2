package procpool.batch;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Where a batch's files are at each step, so an input is always in exactly one place:
 * waiting in {@code inbox/<task>/}, in progress in {@code inbox/.inprogress/<batch>/<task>/}, then done in
 * {@code inbox/.done/<task>/} (output in {@code outbox/}) or failed in {@code inbox/.failed/<task>/}
 * (reason in {@code outbox/<name>.error}). Folders starting with a dot are never scanned for new batches.
 */
public final class BatchFolders {

    private final Path inbox;
    private final Path outbox;

    public BatchFolders(Path inbox, Path outbox) throws IOException {
        this.inbox = inbox;
        this.outbox = outbox;
        Files.createDirectories(inbox);
        Files.createDirectories(outbox);
    }

    public Path inbox() {
        return inbox;
    }

    public Path outbox() {
        return outbox;
    }

    /** The file's path below the inbox, e.g. {@code square/nums.txt}; never one outside it. */
    public Path relativeToInbox(Path file) {
        Path relative = inbox.toAbsolutePath().normalize().relativize(file.toAbsolutePath().normalize());
        if (relative.getNameCount() == 0 || relative.startsWith("..") || relative.toString().isEmpty()) {
            throw new IllegalArgumentException(file + " is not in the inbox " + inbox);
        }
        return relative;
    }

    /**
     * Moves a new input out of the scanned folders, so it is read once, whatever happens next. A link is moved itself,
     * never its target; a relative link is re-pointed with the absolute path it had in the inbox, so it still leads
     * to the same file from its new place.
     */
    Path claim(Path file, String batchId) throws IOException {
        Path claimed = move(file, inbox.resolve(".inprogress").resolve(batchId).resolve(relativeToInbox(file)));
        if (Files.isSymbolicLink(claimed)) {
            Path target = Files.readSymbolicLink(claimed);
            if (!target.isAbsolute()) {
                Path temp = claimed.resolveSibling("." + claimed.getFileName() + ".link");
                Files.deleteIfExists(temp);
                Files.createSymbolicLink(temp, file.toAbsolutePath().getParent().resolve(target));
                Files.move(temp, claimed, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return claimed;
    }

    Path moveToDone(Path claimed, Path relative) throws IOException {
        Path done = move(claimed, unique(inbox.resolve(".done").resolve(relative)));
        deleteEmptyParents(claimed);
        return done;
    }

    Path moveToFailed(Path file, Path relative) throws IOException {
        Path failed = move(file, unique(inbox.resolve(".failed").resolve(relative)));
        deleteEmptyParents(file);
        return failed;
    }

    /**
     * Gives a finished output its name: {@code outbox/<name>}, or {@code <stem>-1<ext>}, {@code -2}... when that
     * name or its {@code .error} is taken, so a batch never overwrites another one's output or error.
     */
    synchronized Path commitOutput(OrderedBatchWriter writer, String name) throws IOException {
        Path target = freeOutputName(name);
        writer.commit(target);
        return target;
    }

    /** Folder of the outputs of jobs answered by message: private, each deleted once sent. */
    Path replies() throws IOException {
        return Files.createDirectories(outbox.resolve(".replies"));
    }

    /** Where a job's items are written: straight into the in-progress folder, as if claimed from the inbox. */
    Path jobInput(String batchId, String task, String name) throws IOException {
        Path input = inbox.resolve(".inprogress").resolve(batchId).resolve(task).resolve(name);
        Path linked = linkedFolder(input);
        if (linked != null) {
            throw new IOException("will not write " + input + ": " + linked
                    + " is a symbolic link; procpool writes job items only inside the inbox");
        }
        return Files.createDirectories(input.getParent()).resolve(name);
    }

    /** Removes a job's input once its answer was sent. */
    void deleteJobInput(Path claimed) throws IOException {
        Files.deleteIfExists(claimed);
        deleteEmptyParents(claimed);
    }

    /**
     * Writes {@code outbox/<name>.error} atomically, named as {@link #commitOutput} names outputs.
     *
     * @throws WriteFailedException when it could not be written (nothing is left behind then)
     */
    synchronized Path writeError(String name, String text) throws IOException {
        Path output = freeOutputName(name);
        Path target = output.resolveSibling(output.getFileName() + ".error");
        writeAtomically(target, text);
        syncDirectory(outbox);
        return target;
    }

    /**
     * Writes {@code text} to {@code target} through a hidden temporary file in the same folder, synced, then renamed
     * over it: all of it or, with a {@link WriteFailedException}, nothing (the temporary file is deleted).
     */
    private static void writeAtomically(Path target, String text) throws IOException {
        Path temp = target.resolveSibling("." + target.getFileName() + ".part");
        boolean moved = false;
        // the inbox is writable by others: whatever sits at the temporary name (a planted link, a pipe) is removed,
        // never written through; CREATE_NEW fails rather than follow one planted again in between
        deleteQuietly(temp);
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer bytes = StandardCharsets.UTF_8.encode(text);
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
            channel.close();
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
        } catch (IOException e) {
            throw new WriteFailedException(target, e);
        } finally {
            if (!moved) {
                deleteQuietly(temp);
            }
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // nothing more to do: the caller reports the failure that brought us here
        }
    }

    /** Where a batch's progress is checkpointed: beside its claimed input, hidden. */
    Path stateFile(String batchId) {
        return inbox.resolve(".inprogress").resolve(batchId).resolve(".state");
    }

    /** Drops a finished batch's checkpoint. */
    void deleteCheckpoint(String batchId) {
        try {
            Files.deleteIfExists(stateFile(batchId));
        } catch (IOException e) {
            // an orphan checkpoint without its input is ignored at the next start
        }
    }

    /** Records durably how far a batch's output got, so a restarted coordinator can continue from there. */
    void writeCheckpoint(String batchId, BatchCheckpoint checkpoint) throws IOException {
        java.io.StringWriter text = new java.io.StringWriter();
        checkpoint.toProperties().store(text, "procpool batch progress");
        writeAtomically(stateFile(batchId), text.toString());
    }

    /** An interrupted batch that can continue where its output stopped: its checkpoint and claimed input. */
    public record Resumable(String batchId, Path relative, Path claimedInput, BatchCheckpoint checkpoint) {
    }

    /**
     * After a stop: batches whose checkpoint and partial output survived are returned to be continued; every other
     * interrupted input goes back to the inbox to run again from the start (its output was never renamed into
     * place, so nothing is written twice).
     *
     * @param requeued where the inputs put back in the inbox are listed
     */
    public List<Resumable> recoverInterrupted(List<Path> requeued) throws IOException {
        return new InterruptedBatches(this, inbox, outbox).recover(requeued);
    }

    /**
     * Where the output of an input called {@code name} goes, if the name is free: {@code outbox/<name>}, shortened
     * when its {@code .error} would be too long a file name (see {@link OutputNames#fitted}).
     */
    Path outputPath(String name) {
        return outbox.resolve(OutputNames.fitted(name, 0));
    }

    private Path freeOutputName(String name) {
        Path candidate = outputPath(name);
        for (int n = 1;
             Files.exists(candidate) || Files.exists(candidate.resolveSibling(candidate.getFileName() + ".error"));
             n++) {
            candidate = outbox.resolve(OutputNames.fitted(name, n));
        }
        return candidate;
    }

    /**
     * Moves the entry itself (a link is moved, never its target) within the inbox. Refuses a path that passes through
     * a linked folder (say {@code inbox/square -> /home/me}, or a planted {@code inbox/.failed -> /etc}): that would
     * move a file from outside the inbox, or carry an input out of it.
     */
    Path move(Path from, Path to) throws IOException {
        for (Path end : List.of(from, to)) {
            Path linked = linkedFolder(end);
            if (linked != null) {
                throw new IOException("will not move " + from + " to " + to + ": " + linked
                        + " is a symbolic link; procpool moves entries only within the inbox");
            }
        }
        Files.createDirectories(to.getParent());
        return Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The first folder between the inbox and {@code path} that is a symbolic link, or null. */
    private Path linkedFolder(Path path) {
        Path base = inbox.toAbsolutePath().normalize();
        for (Path folder = path.toAbsolutePath().normalize().getParent();
             folder != null && folder.startsWith(base) && !folder.equals(base); folder = folder.getParent()) {
            if (Files.isSymbolicLink(folder)) {
                return folder;
            }
        }
        return null;
    }

    /** {@code name.txt}, or {@code name-1.txt}, {@code name-2.txt}... if taken (by any entry, a broken link too). */
    static Path unique(Path path) {
        Path candidate = path;
        for (int n = 1; Files.exists(candidate, NOFOLLOW_LINKS); n++) {
            candidate = path.resolveSibling(OutputNames.fitted(path.getFileName().toString(), n,
                    OutputNames.MAX_NAME_BYTES));
        }
        return candidate;
    }

    private void deleteEmptyParents(Path file) {
        Path inProgress = inbox.resolve(".inprogress");
        for (Path dir = file.getParent(); dir != null && dir.startsWith(inProgress) && !dir.equals(inProgress);
             dir = dir.getParent()) {
            try {
                Files.delete(dir);
            } catch (IOException notEmpty) {
                return;
            }
        }
    }

    /** Makes a rename in {@code dir} durable (where the file system allows opening a folder). */
    static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException notSupported) {
            // some file systems refuse to open folders; the rename itself is still atomic
        }
    }
}
