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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where a batch's files are at each step, so an input is always in exactly one place:
 * waiting in {@code inbox/<task>/}, in progress in {@code inbox/.inprogress/<batch>/<task>/}, then done in
 * {@code inbox/.done/<task>/} (output in {@code outbox/}) or failed in {@code inbox/.failed/<task>/}
 * (reason in {@code outbox/<name>.error}). Folders starting with a dot are never scanned for new batches.
 */
public final class BatchFolders {

    /** The longest file name Linux file systems (and most others) take, in bytes: NAME_MAX. */
    static final int MAX_NAME_BYTES = 255;
    /** What an output's name may grow by on disk: {@code .error}, and {@code .} + {@code .part} while written. */
    private static final int OUTPUT_NAME_GROWTH = ".error".length() + ".".length() + ".part".length();
    /** A file name part after the last dot counts as its extension, kept when a name is shortened, up to this. */
    private static final int MAX_EXTENSION_LENGTH = 16;

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
    private Path stateFile(String batchId) {
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
     */
    public List<Resumable> recoverInterrupted(List<Path> requeued) throws IOException {
        Path inProgress = inbox.resolve(".inprogress");
        if (Files.isSymbolicLink(inProgress)) {
            throw new IOException(inProgress + " is a symbolic link; procpool keeps the batches in progress only "
                    + "inside the inbox: remove the link");
        }
        List<Resumable> resumable = new ArrayList<>();
        if (!Files.isDirectory(inProgress)) {
            deletePartialOutputs(java.util.Set.of());
            return resumable;
        }
        try (Stream<Path> batches = Files.list(inProgress)) {
            for (Path batchDir : batches.filter(dir -> Files.isDirectory(dir, NOFOLLOW_LINKS)).toList()) {
                String batchId = batchDir.getFileName().toString();
                if (!Files.isRegularFile(stateFile(batchId), NOFOLLOW_LINKS)) {
                    continue;
                }
                BatchCheckpoint checkpoint = BatchCheckpoint.read(stateFile(batchId));
                Path part = OrderedBatchWriter.partFile(outbox, batchId);
                if (checkpoint == null || !Files.isRegularFile(part, NOFOLLOW_LINKS)
                        || Files.size(part) < checkpoint.writtenBytes()) {
                    continue;
                }
                Path claimed = inProgress.resolve(batchId).resolve(checkpoint.relative());
                // only a regular file resumes here; a link goes back to the inbox, to be judged there again
                if (Files.isRegularFile(claimed, NOFOLLOW_LINKS)) {
                    resumable.add(new Resumable(batchId, Path.of(checkpoint.relative()), claimed, checkpoint));
                }
            }
        }
        deletePartialOutputs(resumable.stream().map(Resumable::batchId).collect(java.util.stream.Collectors.toSet()));
        requeued.addAll(requeueInterrupted(resumable.stream().map(Resumable::batchId).toList()));
        return resumable;
    }

    /**
     * Puts inputs whose batch was interrupted (the coordinator stopped before it finished) back in the inbox,
     * to be run again from the start, except the batches listed to be continued. Entries are moved themselves, links
     * never followed, and the inbox judges them again (a link or a named pipe is refused there).
     */
    private List<Path> requeueInterrupted(List<String> keep) throws IOException {
        Path inProgress = inbox.resolve(".inprogress");
        List<Path> requeued = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(inProgress)) {
            files = walk.filter(entry -> !Files.isDirectory(entry, NOFOLLOW_LINKS))
                    .filter(entry -> inProgress.relativize(entry).getNameCount() > 1)
                    .filter(entry -> !keep.contains(inProgress.relativize(entry).getName(0).toString()))
                    .toList();
        }
        for (Path file : files) {
            if (file.getFileName().toString().startsWith(".")) {
                Files.delete(file);
                continue;
            }
            Path relative = inProgress.relativize(file);
            Path original = relative.subpath(1, relative.getNameCount());
            requeued.add(move(file, unique(inbox.resolve(original))));
        }
        try (Stream<Path> walk = Files.walk(inProgress)) {
            for (Path dir : walk.filter(entry -> Files.isDirectory(entry, NOFOLLOW_LINKS))
                    .sorted(Comparator.reverseOrder()).toList()) {
                if (!dir.equals(inProgress) && isEmpty(dir)) {
                    Files.delete(dir);
                }
            }
        }
        return requeued;
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    /**
     * Where the output of an input called {@code name} goes, if the name is free: {@code outbox/<name>}, shortened
     * when its {@code .error} would be too long a file name (see {@link #fitted}).
     */
    Path outputPath(String name) {
        return outbox.resolve(fitted(name, 0, MAX_NAME_BYTES - OUTPUT_NAME_GROWTH));
    }

    private Path freeOutputName(String name) {
        Path candidate = outputPath(name);
        for (int n = 1; Files.exists(candidate) || Files.exists(candidate.resolveSibling(candidate.getFileName() + ".error"));
             n++) {
            candidate = outbox.resolve(fitted(name, n, MAX_NAME_BYTES - OUTPUT_NAME_GROWTH));
        }
        return candidate;
    }

    /**
     * {@code name}, or {@code name-n} for n > 0 ({@code nums.txt} → {@code nums-2.txt}), at most {@code maxBytes}
     * bytes of UTF-8: a longer one keeps its extension and the start of its stem, and gets {@code ~} and 8 hex digits
     * of the SHA-256 of the whole name, so two long names that start alike still get different short ones.
     */
    static String fitted(String name, int n, int maxBytes) {
        String plain = n == 0 ? name : numbered(name, n);
        if (utf8Length(plain) <= maxBytes) {
            return plain;
        }
        int dot = name.lastIndexOf('.');
        String extension = dot > 0 && name.length() - dot <= MAX_EXTENSION_LENGTH ? name.substring(dot) : "";
        String stem = name.substring(0, name.length() - extension.length());
        String tail = "~" + hash(name) + (n == 0 ? "" : "-" + n) + extension;
        return prefixOfAtMost(stem, maxBytes - utf8Length(tail)) + tail;
    }

    private static String hash(String name) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    /** The longest start of {@code text} of at most {@code maxBytes} bytes of UTF-8, never splitting a character. */
    private static String prefixOfAtMost(String text, int maxBytes) {
        int bytes = 0;
        int end = 0;
        while (end < text.length()) {
            int codePoint = text.codePointAt(end);
            bytes += utf8Length(Character.toString(codePoint));
            if (bytes > maxBytes) {
                break;
            }
            end += Character.charCount(codePoint);
        }
        return text.substring(0, end);
    }

    /** {@code name.txt} → {@code name-n.txt}. */
    private static String numbered(String name, int n) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) + "-" + n + name.substring(dot) : name + "-" + n;
    }

    /** Partial outputs of batches a stop interrupted, but those of batches to be continued. */
    private void deletePartialOutputs(java.util.Set<String> keep) throws IOException {
        for (Path folder : List.of(outbox, outbox.resolve(".replies"))) {
            if (!Files.isDirectory(folder)) {
                continue;
            }
            try (Stream<Path> files = Files.list(folder)) {
                for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".part")
                        || folder.endsWith(".replies")).toList()) {
                    String name = file.getFileName().toString();
                    String batchId = name.startsWith(".") && name.endsWith(".part")
                            ? name.substring(1, name.length() - ".part".length()) : "";
                    if (!keep.contains(batchId)) {
                        Files.deleteIfExists(file);
                    }
                }
            }
        }
    }

    /**
     * Moves the entry itself (a link is moved, never its target) within the inbox. Refuses a path that passes through
     * a linked folder (say {@code inbox/square -> /home/me}, or a planted {@code inbox/.failed -> /etc}): that would
     * move a file from outside the inbox, or carry an input out of it.
     */
    private Path move(Path from, Path to) throws IOException {
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
    private static Path unique(Path path) {
        Path candidate = path;
        for (int n = 1; Files.exists(candidate, NOFOLLOW_LINKS); n++) {
            candidate = path.resolveSibling(fitted(path.getFileName().toString(), n, MAX_NAME_BYTES));
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
