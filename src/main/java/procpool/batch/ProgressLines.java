package procpool.batch;

/** The progress line of a batch in flight, and the rates the batch's log lines show. */
final class ProgressLines {

    private ProgressLines() {
    }

    /** Chunks and items done, rate, and chunks held back waiting for an earlier one. Holding the batch's monitor. */
    static String of(Batch batch) {
        long percent = batch.items == 0 ? 100 : batch.itemsDone * 100 / batch.items;
        Integer total = batch.window.totalChunks();
        return batch + ": " + batch.chunksDone + "/" + (total == null ? "?" : total) + " chunks, " + batch.itemsDone
                + "/" + batch.items + " items (" + percent + "%), " + rate(batch.itemsDone, batch.seconds())
                + " items/s, " + batch.writer.waitingChunks() + " chunk(s) waiting for an earlier one"
                + (batch.skipped == null ? "" : ", " + batch.skipped.count() + " failed item(s) skipped");
    }

    /** Items per second, rounded; 0 before any time has passed. */
    static long rate(long items, double seconds) {
        return seconds <= 0 ? 0 : Math.round(items / seconds);
    }

    /** Seconds with two decimals, as the log shows them. */
    static String seconds(double seconds) {
        return String.format("%.2f", seconds);
    }
}
