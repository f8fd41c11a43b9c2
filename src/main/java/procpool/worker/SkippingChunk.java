package procpool.worker;

import procpool.chunk.ErrorTexts;

/**
 * What a worker sends for a chunk run under the skip policy ({@code procpoolOnError=skip}): every item's result, with
 * {@link #FAILED_ITEM_RESULT} in the place of each failed one, and every failed item as data, none left unlisted (the
 * fail policy lists at most 100 per chunk, since its batch fails anyway). Each failure past the first carries only the
 * start of its stack trace (the exception and the frame that threw), so a result with many failures stays small.
 */
final class SkippingChunk {

    /** The result line of a failed item in the body: empty (the coordinator writes what its format wants there). */
    static final String FAILED_ITEM_RESULT = "";

    private SkippingChunk() {
    }

    /** The exception (its message bounded as in every error text) and the frame it was thrown at, on two lines. */
    static String stackStart(Throwable e, String item) {
        String message = ErrorTexts.message(e.getMessage(), item);
        StackTraceElement[] frames = e.getStackTrace();
        return ErrorTexts.cut(e.getClass().getName() + (message == null ? "" : ": " + message)
                + (frames.length == 0 ? "" : "\n\tat " + frames[0]), ErrorTexts.MAX_LINE);
    }
}
