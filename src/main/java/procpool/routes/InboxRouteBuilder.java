package procpool.routes;

import java.nio.file.Path;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.file.FileConstants;

import procpool.batch.BatchTracker;
import procpool.batch.ClaimedBatch;

/**
 * Inbox route: picks up {@code inbox/<task>/<file>} once the file has stopped changing ({@link InboxReadLock}),
 * claims it for a batch (moved to {@code .inprogress}, not opened) and hands it to the batch sender, which reads it
 * on the batch's own thread: nothing here opens an input, so no input can hold up the inbox. Entries that are not
 * regular files (links, named pipes, devices, sockets, linked folders) are refused by the {@link InboxEntryFilter} as
 * they are listed.
 */
final class InboxRouteBuilder extends RouteBuilder {

    private final BatchTracker batches;

    InboxRouteBuilder(BatchTracker batches) {
        this.batches = batches;
    }

    @Override
    public void configure() throws Exception {
        boolean followSymlinks = Boolean.parseBoolean(
                getContext().resolvePropertyPlaceholders("{{procpool.inbox.follow-symlinks:false}}").strip());
        bindToRegistry("procpoolInboxEntries", new InboxEntryFilter(batches, followSymlinks));
        // timed scans as the fallback; besides, a scan at once when the watch sees a file appear, and when a file
        // turned down may be taken
        InboxScheduler scheduler = new InboxScheduler(millis("procpool.inbox.poll-delay-ms"));
        bindToRegistry("procpoolInboxScheduler", scheduler);
        InboxReadLock readLock = new InboxReadLock(millis("procpool.inbox.read-lock-min-age-ms"),
                millis("procpool.inbox.read-lock-check-interval-ms"), scheduler);
        // stopped with the context: closes its inbox watch (an inotify instance and the JDK's thread for it)
        getContext().addService(readLock, true, false);
        bindToRegistry("procpoolInboxReadLock", readLock);

        // noop + idempotent=false: the tracker moves each file out of the inbox before reading it,
        // so no in-memory "seen files" list is needed (and none is lost on restart)
        from("file:{{procpool.inbox}}"
                + "?filter=#procpoolInboxEntries"
                + "&recursive=true&maxDepth=3"
                + "&noop=true&idempotent=false"
                + "&exclusiveReadLockStrategy=#procpoolInboxReadLock"
                + "&scheduler=#procpoolInboxScheduler")
                .routeId("inbox")
                .routeConfigurationId(BatchErrors.ID)
                .process(exchange -> claim(exchange, followSymlinks))
                .to(ChunkSenderRouteBuilder.BATCHES);
    }

    private long millis(String setting) {
        return Long.parseLong(getContext().resolvePropertyPlaceholders("{{" + setting + "}}").strip());
    }

    private void claim(Exchange exchange, boolean followSymlinks) throws Exception {
        Message message = exchange.getMessage();
        Path file = Path.of(message.getHeader(FileConstants.FILE_ABSOLUTE_PATH, String.class));
        ClaimedBatch batch = batches.claim(file, followSymlinks);
        batch.headers().forEach(message::setHeader);
        message.setBody(batch);
    }
}
