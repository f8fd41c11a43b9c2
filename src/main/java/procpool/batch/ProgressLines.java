package procpool.batch;

/** The progress line of a batch in flight, and the rates the batch's log lines show. */
final class ProgressLines {

    private ProgressLines() {
    }

    /**
     * Chunks and items done of the totals (the chunk count follows from the item count and chunk size, known from
     * the start, or is estimated for adaptive sizes: {@link #totalChunks}), rate, time left, and chunks held back
     * waiting for an earlier one. Holding the batch's monitor.
     */
    static String of(Batch batch) {
        long percent = batch.items == 0 ? 100 : batch.itemsDone * 100 / batch.items;
        long rate = rate(batch.itemsDone, batch.seconds());
        return batch + ": " + batch.chunksDone + "/" + totalChunks(batch) + " chunks, " + batch.itemsDone
                + "/" + batch.items + " items (" + percent + "%), " + rate + " items/s, "
                + timeLeft(batch.items - batch.itemsDone, rate) + ", " + batch.writer.waitingChunks()
                + " chunk(s) waiting for an earlier one"
                + (batch.skipped == null ? "" : ", " + batch.skipped.count() + " failed item(s) skipped")
                + (batch.held.isEmpty() ? "" : "; " + batch.held.waiting(System.nanoTime()));
    }

    /**
     * The batch's chunk count: as sent once all are. Before that, for a fixed size, as its items and chunk size make
     * it; for adaptive sizes, which change as results come in, an estimate: the chunks sent so far and the items
     * after them in chunks of the last size sent (never below the chunks sent, as the static size would be).
     */
    static long totalChunks(Batch batch) {
        Integer sent = batch.window.totalChunks();
        if (sent != null) {
            return sent;
        }
        if (!batch.plan.isAdaptive()) {
            return batch.chunkSize <= 0 ? 0 : (batch.items + batch.chunkSize - 1) / batch.chunkSize;
        }
        // chunks up to the highest sent are cut: the plan knows where each begins
        int sentThrough = Math.max(batch.plan.firstChunk(), batch.window.highestSent() + 1);
        long itemsSent = batch.plan.firstItemOf(sentThrough);
        long size = sentThrough > batch.plan.firstChunk()
                ? itemsSent - batch.plan.firstItemOf(sentThrough - 1) : batch.chunkSize;
        long itemsLeft = Math.max(0, batch.items - itemsSent);
        return sentThrough + (size <= 0 ? 0 : (itemsLeft + size - 1) / size);
    }

    /** {@code 0:42 left} at the present rate; unknown before the first result. */
    static String timeLeft(long itemsLeft, long rate) {
        if (itemsLeft <= 0) {
            return "0:00 left";
        }
        if (rate <= 0) {
            return "time left unknown";
        }
        long seconds = (itemsLeft + rate - 1) / rate;
        return seconds >= 3600 ? String.format("%d:%02d:%02d left", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format("%d:%02d left", seconds / 60, seconds % 60);
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
