package procpool.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * What {@code procpool submit} prints for a failed job: the one-line cause of each failed item (the first
 * {@value #SHOWN}, then how many more), and the path of the full report (the {@code .error} text, with the worker's
 * stack trace), which it saves in a private temporary file. The report itself is printed only with {@code --verbose}.
 */
final class FailedJobReport {

    static final int SHOWN = 10;
    /** Saved reports kept in the temporary folder: the newest ones; older ones are deleted when one is saved. */
    static final int KEPT = 20;
    private static final String PREFIX = "procpool-submit-";
    private static final String SUFFIX = ".error";

    /** The causes of a report, in line order, and how many there are in all. */
    record Causes(List<String> shown, int total) {
    }

    private FailedJobReport() {
    }

    /**
     * Reads the causes from a report as {@code ErrorReport} writes it: {@code error: <first>}, then, if there are
     * several, {@code errors: N} and one indented line per error.
     *
     * @param reason the failure reply's {@code procpoolError}, used when the report has no {@code error:} line
     */
    static Causes causes(String reason, String report) {
        List<String> lines = report == null ? List.of() : report.lines().toList();
        List<String> causes = new ArrayList<>();
        int total = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("errors: ")) {
                total = Integer.parseInt(lines.get(i).substring("errors: ".length()).strip());
                for (int j = i + 1; j < lines.size() && lines.get(j).startsWith("  ") && causes.size() < SHOWN; j++) {
                    if (!lines.get(j).startsWith("  ... and ")) {
                        causes.add(lines.get(j).strip());
                    }
                }
                return new Causes(causes, total);
            }
        }
        String first = lines.stream().filter(line -> line.startsWith("error: ")).findFirst()
                .map(line -> line.substring("error: ".length())).orElse(reason);
        return new Causes(List.of(first == null ? "the job failed (no reason given)" : first), 1);
    }

    /** Prints the causes and where the full report is; with {@code verbose} the report too. */
    static void print(PrintWriter err, String batchId, String reason, String report, boolean verbose) {
        Causes causes = causes(reason, report);
        if (causes.total() == 1) {
            err.println("procpool submit: job failed: " + causes.shown().get(0));
        } else {
            err.println("procpool submit: job failed with " + causes.total() + " errors:");
            causes.shown().forEach(cause -> err.println("  " + cause));
            if (causes.total() > causes.shown().size()) {
                err.println("  and " + (causes.total() - causes.shown().size()) + " more");
            }
        }
        if (report != null && !report.isBlank()) {
            try {
                Path saved = save(Path.of(System.getProperty("java.io.tmpdir")), batchId, report);
                err.println("full report: " + saved + (verbose ? "" : " (--verbose prints it here)"));
            } catch (IOException e) {
                err.println("full report: not saved (" + FileErrors.describe(e) + ")"
                        + (verbose ? "" : "; --verbose prints it here"));
            }
            if (verbose) {
                err.print(report.endsWith("\n") ? report : report + "\n");
            }
        }
        err.flush();
    }

    /**
     * The report in a new file readable only by this user (it may quote items) in {@code folder}; this user's older
     * reports there beyond the newest {@value #KEPT} are deleted, so repeated failed submits do not fill it.
     */
    static Path save(Path folder, String batchId, String report) throws IOException {
        String id = batchId == null || !batchId.matches("[A-Za-z0-9-]{1,64}") ? "job" : batchId;
        Path file = Files.createTempFile(folder, PREFIX + id + "-", SUFFIX);
        Files.writeString(file, report, StandardCharsets.UTF_8);
        pruneOldReports(folder, Files.getOwner(file, LinkOption.NOFOLLOW_LINKS));
        return file;
    }

    private static void pruneOldReports(Path folder, UserPrincipal owner) {
        try (Stream<Path> entries = Files.list(folder)) {
            List<Path> reports = entries.filter(path -> isReportOf(path, owner))
                    .sorted(Comparator.comparing(FailedJobReport::modified).reversed()).toList();
            for (Path old : reports.subList(Math.min(KEPT, reports.size()), reports.size())) {
                Files.deleteIfExists(old);
            }
        } catch (IOException | UncheckedIOException e) {
            // a report that cannot be pruned is harmless: the new one is saved
        }
    }

    private static boolean isReportOf(Path path, UserPrincipal owner) {
        String name = path.getFileName().toString();
        try {
            return name.startsWith(PREFIX) && name.endsWith(SUFFIX)
                    && Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)
                    && owner.equals(Files.getOwner(path, LinkOption.NOFOLLOW_LINKS));
        } catch (IOException e) {
            return false;
        }
    }

    private static FileTime modified(Path path) {
        try {
            return Files.getLastModifiedTime(path, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
