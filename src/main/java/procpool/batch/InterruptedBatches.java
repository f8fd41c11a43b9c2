package procpool.batch;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import procpool.batch.BatchFolders.Resumable;

/**
 * What a stop left in {@code .inprogress}, sorted out at the next start: batches to continue after their checkpoint,
 * inputs to put back in the inbox, partial outputs to drop.
 */
final class InterruptedBatches {

    private final BatchFolders folders;
    private final Path inbox;
    private final Path outbox;

    InterruptedBatches(BatchFolders folders, Path inbox, Path outbox) {
        this.folders = folders;
        this.inbox = inbox;
        this.outbox = outbox;
    }

    /**
     * After a stop: batches whose checkpoint and partial output survived are returned to be continued; every other
     * interrupted input goes back to the inbox to run again from the start (its output was never renamed into
     * place, so nothing is written twice).
     */
    List<Resumable> recover(List<Path> requeued) throws IOException {
        Path inProgress = inbox.resolve(".inprogress");
        if (Files.isSymbolicLink(inProgress)) {
            throw new IOException(inProgress + " is a symbolic link; procpool keeps the batches in progress only "
                    + "inside the inbox: remove the link");
        }
        List<Resumable> resumable = new ArrayList<>();
        if (!Files.isDirectory(inProgress)) {
            deletePartialOutputs(Set.of());
            return resumable;
        }
        try (Stream<Path> batches = Files.list(inProgress)) {
            for (Path batchDir : batches.filter(dir -> Files.isDirectory(dir, NOFOLLOW_LINKS)).toList()) {
                String batchId = batchDir.getFileName().toString();
                if (!Files.isRegularFile(folders.stateFile(batchId), NOFOLLOW_LINKS)) {
                    continue;
                }
                BatchCheckpoint checkpoint = BatchCheckpoint.read(folders.stateFile(batchId));
                Path part = OrderedBatchWriter.partFile(outbox, batchId);
                if (checkpoint == null || !Files.isRegularFile(part, NOFOLLOW_LINKS)
                        || Files.size(part) < checkpoint.writtenBytes()) {
                    continue;
                }
                Path errors = SkippedItems.partFile(outbox, batchId);
                if (checkpoint.policy().skip() && checkpoint.errorsBytes() > 0
                        && (!Files.isRegularFile(errors, NOFOLLOW_LINKS)
                                || Files.size(errors) < checkpoint.errorsBytes())) {
                    // its errors file is lost: run it again from the start rather than list errors twice or never
                    continue;
                }
                Path claimed = inProgress.resolve(batchId).resolve(checkpoint.relative());
                // only a regular file resumes here; a link goes back to the inbox, to be judged there again
                if (Files.isRegularFile(claimed, NOFOLLOW_LINKS)) {
                    resumable.add(new Resumable(batchId, Path.of(checkpoint.relative()), claimed, checkpoint));
                }
            }
        }
        deletePartialOutputs(resumable.stream().map(Resumable::batchId).collect(Collectors.toSet()));
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
            requeued.add(folders.move(file, BatchFolders.unique(inbox.resolve(original))));
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

    /** Partial outputs of batches a stop interrupted, but those of batches to be continued. */
    private void deletePartialOutputs(Set<String> keep) throws IOException {
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
                    // a skip batch's errors file (SkippedItems) lives and dies with its output
                    batchId = batchId.endsWith(".errors") ? batchId.substring(0, batchId.length() - 7) : batchId;
                    if (!keep.contains(batchId)) {
                        Files.deleteIfExists(file);
                    }
                }
            }
        }
    }
}
