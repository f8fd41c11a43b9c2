package procpool.routes;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;

import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import procpool.batch.BatchTracker;
import procpool.batch.InboxEntries;

/**
 * The inbox's gate, asked by Camel's file consumer about every entry it lists: only real folders are scanned and only
 * regular files (or, if allowed, links to regular files) become batches. Camel itself would follow links (into
 * folders outside the inbox too) and hand over named pipes and devices as files; every such entry is refused here
 * instead, as it is seen, without being opened: error file written, the entry itself moved to {@code .failed}, so
 * it is not refused again at the next poll.
 */
final class InboxEntryFilter implements GenericFileFilter<File> {

    private static final Logger LOG = LoggerFactory.getLogger(InboxEntryFilter.class);

    private final BatchTracker batches;
    private final boolean followSymlinks;

    InboxEntryFilter(BatchTracker batches, boolean followSymlinks) {
        this.batches = batches;
        this.followSymlinks = followSymlinks;
    }

    @Override
    public boolean accept(GenericFile<File> file) {
        Path entry = file.getFile().toPath();
        String refusal;
        try {
            refusal = file.isDirectory() ? InboxEntries.refusalOfFolder(entry)
                    : InboxEntries.refusalOfFile(entry, followSymlinks);
        } catch (IOException gone) {
            LOG.debug("skipping {}: {}", entry, gone.toString());
            return false;
        }
        if (refusal == null) {
            return true;
        }
        batches.refuse(entry, refusal);
        return false;
    }
}
