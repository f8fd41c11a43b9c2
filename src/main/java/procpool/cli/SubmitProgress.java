package procpool.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The progress of a {@code procpool submit} on standard error: items answered of the total, rate and time left.
 * On a terminal a bar redrawn in place (and wiped before each block of results goes to standard output, so the
 * two never mix on one screen); elsewhere (a log, a pipe) a plain line every {@value #LINE_EVERY_SECONDS} s;
 * nothing with {@code --quiet}. Thread-safe: results arrive on the main thread, the clock ticks on its own.
 */
final class SubmitProgress implements AutoCloseable {

    enum Mode { BAR, LINES, OFF }

    static final int LINE_EVERY_SECONDS = 5;
    private static final int BAR_WIDTH = 24;

    private final PrintWriter err;
    private final long total;
    private final Mode mode;
    private final LongSupplier nanos;
    private final long startNanos;
    private final ScheduledExecutorService ticks;
    private long done;
    private boolean barShown;

    SubmitProgress(PrintWriter err, long total, Mode mode, LongSupplier nanos) {
        this.err = err;
        this.total = total;
        this.mode = mode;
        this.nanos = nanos;
        this.startNanos = nanos.getAsLong();
        this.ticks = mode == Mode.OFF ? null : Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "submit-progress");
            thread.setDaemon(true);
            return thread;
        });
        if (ticks != null) {
            long every = mode == Mode.BAR ? 1 : LINE_EVERY_SECONDS;
            ticks.scheduleAtFixedRate(this::tick, every, every, TimeUnit.SECONDS);
        }
    }

    /** A bar when standard error is a terminal, lines otherwise, nothing when {@code quiet}. */
    static SubmitProgress start(PrintWriter err, long total, boolean quiet) {
        Mode mode = quiet ? Mode.OFF : stderrIsTerminal() ? Mode.BAR : Mode.LINES;
        return new SubmitProgress(err, total, mode, System::nanoTime);
    }

    /** Linux tells through /proc which file descriptor 2 is; elsewhere no bar, only lines. */
    static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (Exception e) {
            return false;
        }
    }

    /** Call before printing results on standard output: wipes the bar. */
    synchronized void beforeOutput() {
        if (barShown) {
            err.print("\r\033[K");
            err.flush();
            barShown = false;
        }
    }

    /** {@code items} more results were printed. */
    synchronized void advance(long items) {
        done += items;
        if (mode == Mode.BAR) {
            drawBar();
        }
    }

    private synchronized void tick() {
        if (mode == Mode.BAR) {
            drawBar();
        } else if (mode == Mode.LINES) {
            err.println("procpool submit: " + line());
            err.flush();
        }
    }

    private void drawBar() {
        int filled = total == 0 ? BAR_WIDTH : (int) (BAR_WIDTH * Math.min(done, total) / total);
        err.print("\r\033[K[" + "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled) + "] " + line());
        err.flush();
        barShown = true;
    }

    /** {@code 58338/100000 items (58%), 166959 items/s, 0:03 left}. */
    synchronized String line() {
        double seconds = (nanos.getAsLong() - startNanos) / 1e9;
        long rate = seconds <= 0 ? 0 : Math.round(done / seconds);
        long percent = total == 0 ? 100 : done * 100 / total;
        String left = rate == 0 ? "time left unknown" : clock((total - done) / rate) + " left";
        return done + "/" + total + " items (" + percent + "%), " + rate + " items/s, " + left;
    }

    /** {@code 0:03}, {@code 12:07}, {@code 1:02:03}. */
    static String clock(long seconds) {
        Duration d = Duration.ofSeconds(Math.max(0, seconds));
        return d.toHours() > 0 ? String.format("%d:%02d:%02d", d.toHours(), d.toMinutesPart(), d.toSecondsPart())
                : String.format("%d:%02d", d.toMinutes(), d.toSecondsPart());
    }

    /** Stops the clock and wipes the bar. */
    @Override
    public synchronized void close() {
        if (ticks != null) {
            ticks.shutdownNow();
        }
        beforeOutput();
    }
}
