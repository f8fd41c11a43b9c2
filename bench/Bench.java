// procpool's side-by-side benchmark against Python's multiprocessing.Pool. Run it with bench/run.
// A single-file program (java -cp target/procpool.jar bench/Bench.java): it is not part of the product jar.

import java.io.IOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import procpool.api.ProcessPool;

public class Bench {

    static Path work;
    static Path jar;
    static String python;
    static int runs;
    static final Map<String, List<Double>> ours = new LinkedHashMap<>();
    static final Map<String, List<Double>> theirs = new LinkedHashMap<>();
    static final Map<String, String> units = new LinkedHashMap<>();

    public static void main(String[] args) throws Exception {
        work = Path.of(args[0]).toAbsolutePath();
        jar = Path.of(args[1]).toAbsolutePath();
        python = args[2];
        runs = Integer.parseInt(args[3]);
        boolean memory = args.length > 4 && args[4].equals("--memory");
        Files.createDirectories(work);

        Path numbers = numbers(work.resolve("numbers-1m.txt"), 1_000_000);
        // BENCH_ONLY=throughput,latency runs a subset
        List<String> only = List.of(System.getenv().getOrDefault("BENCH_ONLY",
                "throughput,defaults,skew,scaling,latency,startup,commands").split(","));
        if (only.contains("throughput")) {
            throughput(numbers);
        }
        if (only.contains("inbox")) {
            inboxThroughput(numbers);
        }
        if (only.contains("defaults") || only.contains("skew")) {
            defaults(numbers, only.contains("defaults"), only.contains("skew"));
        }
        if (only.contains("scaling")) {
            scaling();
        }
        if (only.contains("latency")) {
            latency();
        }
        if (only.contains("startup")) {
            startup();
        }
        printTable();
        if (only.contains("commands")) {
            commands();
            printCommandTable();
        }
        if (memory) {
            memory();
        }
    }

    // ---- scenario 1: 1,000,000 squares, file to file, 2 workers already running -------------------------------

    static void throughput(Path numbers) throws Exception {
        System.err.println("throughput: 1,000,000 squares with 2 workers ...");
        Path outbox = work.resolve("outbox");
        int port = freePort();
        Process coordinator = coordinator(port, List.of(), "-Xmx1g", "-Xmx512m -XX:+UseSerialGC", "square-bench");
        try (ProcessPool pool = ProcessPool.create(2)) {
            List<String> warm = Files.readAllLines(numbers);
            pool.map("square", warm.subList(0, 100_000));
            dropAndWait(numbers, "warm-up.txt", outbox);
            for (int run = 0; run < runs; run++) {
                record("1. throughput, inbox file (s)", "s", dropAndWait(numbers, "run-" + run + ".txt", outbox),
                        () -> pythonSeconds("throughput", numbers.toString(), work.resolve("py-out.txt").toString(), "2"));
                long start = System.nanoTime();
                List<String> items = Files.readAllLines(numbers);
                List<String> squares = pool.map("square", items);
                try (Writer out = Files.newBufferedWriter(work.resolve("api-out.txt"))) {
                    for (String square : squares) {
                        out.write(square);
                        out.write('\n');
                    }
                }
                check(squares.size() == 1_000_000 && squares.get(999_999).equals("1000000000000"), "api output");
                record("1. throughput, Java API map (s)", "s", seconds(start), null);
                start = System.nanoTime();
                // logs in as the coordinator's service account, whose password is in its data folder
                Process submit = new ProcessBuilder("java", "-jar", jar.toString(), "--set",
                        "procpool.broker.data-dir=" + work.resolve("coordinator-square-bench/data"), "submit",
                        "--task", "square",
                        "--broker", "tcp://127.0.0.1:" + port, numbers.toString())
                        .redirectOutput(work.resolve("submit-out.txt").toFile())
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
                check(submit.waitFor() == 0, "submit exit code");
                record("1. throughput, procpool submit (s, incl. JVM start)", "s", seconds(start), null);
            }
            warmInbox(numbers, "1. throughput, inbox file, warm (s)", work.resolve("inbox"), outbox);
        } finally {
            stop(coordinator);
        }
    }

    /**
     * Scenario 1 through the inbox only, the quick way to compare coordinators: the 1,000,000 squares dropped in
     * turn into a coordinator with the bench's inbox settings, one with the shipped settings and, with
     * {@code BENCH_BASE_JAR=path/procpool.jar[,path2/procpool.jar]}, one of each other build (run from that build's
     * folder, so its own config is read), next to Python in the same run.
     */
    static void inboxThroughput(Path numbers) throws Exception {
        System.err.println("inbox throughput: 1,000,000 squares with 2 workers, this jar and a base jar ...");
        Map<String, Process> coordinators = new LinkedHashMap<>();
        Map<String, Path[]> folders = new LinkedHashMap<>();
        String base = System.getenv().getOrDefault("BENCH_BASE_JAR", "");
        try {
            coordinators.put("1. throughput, inbox file (s)", coordinator(freePort(), List.of(), "-Xmx1g",
                    "-Xmx512m -XX:+UseSerialGC", "inbox-bench", List.of(), true, jar, "inbox", "outbox"));
            coordinators.put("1. throughput, inbox file, default settings (s)", coordinator(freePort(), List.of(),
                    "-Xmx1g", "-Xmx512m -XX:+UseSerialGC", "inbox-defaults", List.of(), false, jar, "inbox-defaults",
                    "outbox-defaults"));
            folders.put("1. throughput, inbox file (s)", new Path[] {work.resolve("inbox"), work.resolve("outbox")});
            folders.put("1. throughput, inbox file, default settings (s)",
                    new Path[] {work.resolve("inbox-defaults"), work.resolve("outbox-defaults")});
            int n = 0;
            for (String baseJar : base.split(",")) {
                if (baseJar.isBlank()) {
                    continue;
                }
                Path path = Path.of(baseJar).toAbsolutePath();
                String name = "1. throughput, inbox file, jar of " + path.getParent().getParent().getFileName()
                        + " (s)";
                n++;
                coordinators.put(name, coordinator(freePort(), List.of(), "-Xmx1g", "-Xmx512m -XX:+UseSerialGC",
                        "inbox-base" + n, List.of(), true, path, "inbox-base" + n, "outbox-base" + n));
                folders.put(name, new Path[] {work.resolve("inbox-base" + n), work.resolve("outbox-base" + n)});
            }
            // BENCH_WARMUP=N batches before the timed ones (1): the coordinator's JIT compiler is still busy after one
            int warmUps = Integer.parseInt(System.getenv().getOrDefault("BENCH_WARMUP", "1"));
            for (Path[] inOut : folders.values()) {
                for (int warm = 0; warm < warmUps; warm++) {
                    dropAndWait(numbers, "warm-up-" + warm + ".txt", inOut[0], inOut[1], -1, "square", null);
                }
            }
            for (int run = 0; run < runs; run++) {
                boolean first = true;
                for (Map.Entry<String, Path[]> entry : folders.entrySet()) {
                    Process coordinator = coordinators.get(entry.getKey());
                    double[] cpuBefore = cpuSeconds(coordinator);
                    double seconds = dropAndWait(numbers, "run-" + run + ".txt", entry.getValue()[0],
                            entry.getValue()[1], -1, "square", null);
                    double[] cpuAfter = cpuSeconds(coordinator);
                    record(entry.getKey(), "s", seconds, first ? () -> pythonSeconds("throughput",
                            numbers.toString(), work.resolve("py-out.txt").toString(), "2") : null);
                    String label = entry.getKey().replace("1. throughput, ", "").replace(" (s)", "");
                    record("   CPU s of the coordinator, " + label, "s", cpuAfter[0] - cpuBefore[0], null);
                    record("   CPU s of its workers, " + label, "s", cpuAfter[1] - cpuBefore[1], null);
                    first = false;
                }
            }
        } finally {
            for (Process coordinator : coordinators.values()) {
                stop(coordinator);
            }
        }
    }

    static double dropAndWait(Path numbers, String name, Path outbox) throws Exception {
        return dropAndWait(numbers, name, outbox, -1, "square", null);
    }

    static double dropAndWait(Path numbers, String name, Path outbox, long writtenAgoMillis) throws Exception {
        return dropAndWait(numbers, name, outbox, writtenAgoMillis, "square", null);
    }

    static double dropAndWait(Path numbers, String name, Path outbox, long writtenAgoMillis, String task)
            throws Exception {
        return dropAndWait(numbers, name, outbox, writtenAgoMillis, task, null);
    }

    /** Drops {@code input} into the task folder of {@code task}; its output must equal {@code expected} if given. */
    static double dropAndWait(Path numbers, String name, Path outbox, String task, Path expected) throws Exception {
        return dropAndWait(numbers, name, outbox, -1, task, expected);
    }

    /**
     * Writes a copy of {@code numbers} and moves it into the task folder of {@code task}: at once
     * ({@code writtenAgoMillis} -1), or that many milliseconds after it was written (a file written long ago, by
     * setting its time back; else by waiting). Its output must equal {@code expected} if given.
     */
    static double dropAndWait(Path numbers, String name, Path outbox, long writtenAgoMillis, String task,
                              Path expected) throws Exception {
        return dropAndWait(numbers, name, work.resolve("inbox"), outbox, writtenAgoMillis, task, expected);
    }

    static double dropAndWait(Path numbers, String name, Path inbox, Path outbox, long writtenAgoMillis, String task,
                              Path expected) throws Exception {
        Path staging = Files.createDirectories(work.resolve("staging")).resolve(name);
        Files.copy(numbers, staging, StandardCopyOption.REPLACE_EXISTING);
        if (writtenAgoMillis >= 1_000) {
            Files.setLastModifiedTime(staging,
                    java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - writtenAgoMillis));
        } else if (writtenAgoMillis > 0) {
            Thread.sleep(writtenAgoMillis);
        }
        Path target = Files.createDirectories(inbox.resolve(task)).resolve(name);
        Path output = outbox.resolve(name);
        long start = System.nanoTime();
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        while (!Files.exists(output)) {
            Thread.sleep(2);
        }
        double seconds = seconds(start);
        check(Files.size(output) > 0, "inbox output");
        if (expected != null) {
            check(Files.mismatch(output, expected) == -1, "output of " + task + "/" + name + " as " + expected);
        }
        Files.delete(output);
        return seconds;
    }

    // ---- scenario 1 with the shipped settings, and scenario 6: a skewed map ------------------------------------

    static final String FIVE_OLD = "1. 5-line file moved in, written 2 s before, default settings (s)";
    static final String FIVE_20MS = "1. 5-line file moved in 20 ms after it was written, default settings (s)";
    static final String FIVE_AT_ONCE = "1. 5-line file written and moved in at once, default settings (s)";
    static final String SKEW = "8. skewed map: 2,000 spin items, last 2% cost 100x, 2 workers (s)";
    static final String SKEW_IDEAL = "8. the same / ideal (total work / 2 workers)";
    /** Rounds of a cheap and a costly spin item: about 0.5 ms and 50 ms in Java, and in Python (100x slower). */
    static final long CHEAP = 400_000;
    static final long COSTLY = 40_000_000;

    /** A coordinator with every inbox and chunk setting as shipped (no bench tuning). */
    static void defaults(Path numbers, boolean inbox, boolean skew) throws Exception {
        System.err.println("default settings: inbox latency and throughput; skewed map ...");
        Path outbox = work.resolve("outbox");
        Process coordinator = coordinator(freePort(), List.of(), "-Xmx1g", "-Xmx512m -XX:+UseSerialGC", "defaults",
                List.of(), false);
        try {
            Path five = Files.writeString(work.resolve("five.txt"), "1\n2\n3\n4\n5\n");
            Path skewed = skewedFile(work.resolve("skew.txt"));
            Path log = work.resolve("coordinator-defaults.log");
            dropAndWait(five, "warm-five.txt", outbox, -1);
            dropAndWait(numbers, "warm-defaults.txt", outbox, -1);
            for (int run = 0; run < runs; run++) {
                if (inbox) {
                    record(FIVE_OLD, "s", dropAndWait(five, "old-" + run + ".txt", outbox, 2_000), null);
                    record(FIVE_20MS, "s", dropAndWait(five, "ms20-" + run + ".txt", outbox, 20), null);
                    record(FIVE_AT_ONCE, "s", dropAndWait(five, "now-" + run + ".txt", outbox, -1), null);
                    record("1. throughput, inbox file, default settings (s)", "s",
                            dropAndWait(numbers, "def-" + run + ".txt", outbox, -1),
                            () -> pythonSeconds("throughput", numbers.toString(),
                                    work.resolve("py-out.txt").toString(), "2"));
                }
                if (skew) {
                    // written long before: the map is timed, not the read lock (Python's side reads no file)
                    double seconds = dropAndWait(skewed, "skew-" + run + ".txt", outbox, 2_000, "spin");
                    double ideal = workSeconds(log, "spin/skew-" + run + ".txt") / 2;
                    Map<String, Double> py = pythonJson("skew", Long.toString(CHEAP / 80), Long.toString(COSTLY / 80),
                            "2");
                    record(SKEW, "s", seconds, () -> py.get("seconds"));
                    record(SKEW_IDEAL, "x", seconds / ideal, () -> py.get("seconds") / py.get("ideal"));
                }
            }
            if (inbox) {
                warmInbox(numbers, "1. throughput, inbox file, default settings, warm (s)", work.resolve("inbox"),
                        outbox);
            }
        } finally {
            stop(coordinator);
        }
    }

    /**
     * The 1,000,000 squares again once the coordinator is warm: a 1M batch is only about 35 chunk messages, so the
     * coordinator's per-message code (broker dispatch, wire format, Camel's pipeline) crosses the C2 compiler's
     * thresholds one method at a time over about 40 batches, its one C2 thread competing with the batch on 2 cores
     * (40-65% of the coordinator's CPU in batches 10-29, about nothing after batch 40). Python is timed alike.
     */
    static void warmInbox(Path numbers, String scenario, Path inbox, Path outbox) throws Exception {
        for (int warm = 0; warm < 40; warm++) {
            dropAndWait(numbers, "warm-more-" + warm + ".txt", inbox, outbox, -1, "square", null);
        }
        for (int run = 0; run < runs; run++) {
            record(scenario, "s", dropAndWait(numbers, "warm-run-" + run + ".txt", inbox, outbox, -1, "square", null),
                    () -> pythonSeconds("throughput", numbers.toString(), work.resolve("py-out.txt").toString(), "2"));
        }
    }

    static Path skewedFile(Path file) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int item = 0; item < 2_000; item++) {
                out.write(Long.toString(item < 1_960 ? CHEAP : COSTLY));
                out.write('\n');
            }
        }
        return file;
    }

    /** The work time the coordinator logged for a batch ("done: ... s of work"): its workers' time on its items. */
    static double workSeconds(Path log, String relative) throws Exception {
        Pattern done = Pattern.compile("\\(" + Pattern.quote(relative) + "\\) done[^:]*: .*?, ([\\d.]+) s of work\\)");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Matcher matcher = done.matcher(Files.readString(log));
            if (matcher.find()) {
                return Double.parseDouble(matcher.group(1));
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("no work time for " + relative + " in " + log);
    }

    // ---- scenario 2: CPU-bound map, 1 vs 2 workers ------------------------------------------------------------

    static void scaling() throws Exception {
        System.err.println("scaling: 64 CPU-bound items, 1 and 2 workers ...");
        List<String> items = Collections.nCopies(64, "20000000");
        for (int processes : List.of(1, 2)) {
            try (ProcessPool pool = ProcessPool.builder().processes(processes).chunkSize(1).build()) {
                pool.map("spin", items.subList(0, 4));
                for (int run = 0; run < runs; run++) {
                    long start = System.nanoTime();
                    pool.map("spin", items);
                    int p = processes;
                    record("2. CPU-bound map, " + processes + " worker(s) (s)", "s", seconds(start),
                            () -> pythonSeconds("scaling", "64", "200000", Integer.toString(p)));
                }
                // the same once the JVMs are warm: in the maps above the caller's JIT compiler still compiles the
                // private broker's dispatch code and the young workers their client code, which with 2 workers on 2
                // cores takes CPU from the workers; a pool that has run ten more maps shows the steady state. Python
                // gets the same warm-up map in its pool before the timed one.
                for (int warm = 0; warm < 10; warm++) {
                    pool.map("spin", items);
                }
                for (int run = 0; run < runs; run++) {
                    long start = System.nanoTime();
                    pool.map("spin", items);
                    int p = processes;
                    record("2. CPU-bound map, " + processes + " worker(s), warm (s)", "s", seconds(start),
                            () -> pythonSeconds("scaling", "64", "200000", Integer.toString(p), "1"));
                }
            }
        }
    }

    // ---- scenario 3: apply round trip -------------------------------------------------------------------------

    static void latency() throws Exception {
        System.err.println("latency: apply of one tiny item ...");
        try (ProcessPool pool = ProcessPool.create(2)) {
            for (int i = 0; i < 300; i++) {
                pool.apply("square", "7");
            }
            for (int run = 0; run < runs; run++) {
                List<Double> times = new ArrayList<>();
                for (int i = 0; i < 2000; i++) {
                    long start = System.nanoTime();
                    pool.apply("square", "7");
                    times.add((System.nanoTime() - start) / 1e6);
                }
                Collections.sort(times);
                Map<String, Double> py = pythonJson("latency", "2000");
                record("3. apply latency p50 (ms)", "ms", times.get(times.size() / 2), () -> py.get("p50_ms"));
                record("3. apply latency p99 (ms)", "ms", times.get(times.size() * 99 / 100), () -> py.get("p99_ms"));
            }
            // the same once every JVM is warm: the JIT compilers of the caller's and the workers' JVMs stay busy for
            // about 20,000 calls, competing with the round trips for 2 cores; Python gets the same warm-up
            for (int i = 0; i < 20_000; i++) {
                pool.apply("square", "7");
            }
            for (int run = 0; run < runs; run++) {
                List<Double> times = new ArrayList<>();
                for (int i = 0; i < 10_000; i++) {
                    long start = System.nanoTime();
                    pool.apply("square", "7");
                    times.add((System.nanoTime() - start) / 1e6);
                }
                Collections.sort(times);
                Map<String, Double> py = pythonJson("latency", "10000", "20000");
                record("3. apply latency p50, warm (ms)", "ms", times.get(times.size() / 2), () -> py.get("p50_ms"));
                record("3. apply latency p99, warm (ms)", "ms", times.get(times.size() * 99 / 100),
                        () -> py.get("p99_ms"));
            }
        }
    }

    // ---- scenario 4: start-up ----------------------------------------------------------------------------------

    static void startup() throws Exception {
        System.err.println("start-up: pool of 2 to first result ...");
        for (int run = 0; run < runs; run++) {
            long start = System.nanoTime();
            ProcessPool pool = ProcessPool.create(2);
            pool.apply("square", "7");
            double seconds = seconds(start);
            pool.terminate();
            record("4. start-up, pool of 2 to first result (s)", "s", seconds, () -> pythonSeconds("startup"));
        }
    }

    // ---- scenario 6 and 7: command tasks next to xargs -P 2 and GNU parallel ---------------------------------------

    static final Map<String, Map<String, List<Double>>> commandTimes = new LinkedHashMap<>();
    static final List<String> TOOLS = List.of("procpool", "xargs -P 2", "GNU parallel -j 2", "no parallelism",
            "procpool, Java task upper");
    static final String PER_CHUNK = "6. per-chunk command `tr a-z A-Z`, 1,000,000 lines (s)";
    static final String PER_ITEM = "7. per-item command `tr a-z A-Z`, one process per line, 2,000 lines (s)";

    static void commands() throws Exception {
        System.err.println("commands: tr a-z A-Z per chunk (1,000,000 lines) and per item (2,000 lines) ...");
        Path text = textLines(work.resolve("text-1m.txt"), 1_000_000);
        Path small = work.resolve("text-2k.txt");
        try (var lines = Files.lines(text)) {
            Files.write(small, (Iterable<String>) lines.limit(2_000)::iterator);
        }
        Path expected = work.resolve("expected-1m.txt");
        Path expectedSmall = work.resolve("expected-2k.txt");
        shell("tr a-z A-Z < " + text + " > " + expected);
        shell("tr a-z A-Z < " + small + " > " + expectedSmall);
        boolean parallel = shell("command -v parallel >/dev/null") == 0;
        Path outbox = work.resolve("outbox");
        Path out = work.resolve("command-out.txt");
        Path chunks = work.resolve("chunks");
        int port = freePort();
        Process coordinator = coordinator(port, List.of(), "-Xmx1g", "-Xmx512m -XX:+UseSerialGC", "commands",
                List.of("procpool.task.upchunk.command=tr a-z A-Z", "procpool.task.upchunk.mode=per-chunk",
                        "procpool.task.upitem.command=tr a-z A-Z"));
        try {
            dropAndWait(text, "warm-up.txt", outbox, "upchunk", expected);
            dropAndWait(small, "warm-up-2k.txt", outbox, "upitem", expectedSmall);
            for (int run = 0; run < runs; run++) {
                recordCommand(PER_CHUNK, "procpool",
                        dropAndWait(text, "chunk-" + run + ".txt", outbox, "upchunk", expected));
                // the same file through the built-in Java task: what the pipeline costs without any process
                recordCommand(PER_CHUNK, "procpool, Java task upper",
                        dropAndWait(text, "java-" + run + ".txt", outbox, "upper", expected));
                // xargs feeds arguments, not stdin: the usual recipe splits the file, runs tr per piece, joins them
                recordCommand(PER_CHUNK, "xargs -P 2", timedShell("rm -rf " + chunks + " && mkdir " + chunks
                        + " && split -l 50000 -d -a 4 " + text + " " + chunks + "/c. && ls " + chunks + "/c.* | "
                        + "xargs -P 2 -I{} sh -c 'tr a-z A-Z < {} > {}.out' && cat " + chunks + "/c.*.out > " + out,
                        out, expected, false));
                if (parallel) {
                    recordCommand(PER_CHUNK, "GNU parallel -j 2", timedShell("parallel --pipe -k -j 2 tr a-z A-Z < "
                            + text + " > " + out, out, expected, false));
                }
                recordCommand(PER_CHUNK, "no parallelism", timedShell("tr a-z A-Z < " + text + " > " + out, out,
                        expected, false));

                recordCommand(PER_ITEM, "procpool",
                        dropAndWait(small, "item-" + run + ".txt", outbox, "upitem", expectedSmall));
                // xargs -P does not keep the order: its output is compared sorted
                recordCommand(PER_ITEM, "xargs -P 2", timedShell("xargs -d '\\n' -P 2 -n 1 sh -c "
                        + "'printf \"%s\\n\" \"$1\" | tr a-z A-Z' sh < " + small + " > " + out, out, expectedSmall,
                        true));
                if (parallel) {
                    recordCommand(PER_ITEM, "GNU parallel -j 2", timedShell("parallel -k -j 2 \"printf '%s\\n' {} | "
                            + "tr a-z A-Z\" < " + small + " > " + out, out, expectedSmall, false));
                }
                recordCommand(PER_ITEM, "no parallelism", timedShell("while IFS= read -r line; do printf '%s\\n' "
                        + "\"$line\" | tr a-z A-Z; done < " + small + " > " + out, out, expectedSmall, false));
            }
        } finally {
            stop(coordinator);
        }
    }

    static void recordCommand(String scenario, String tool, double seconds) {
        commandTimes.computeIfAbsent(scenario, k -> new LinkedHashMap<>()).computeIfAbsent(tool,
                k -> new ArrayList<>()).add(seconds);
    }

    /** Runs {@code script} with bash; its output file must equal {@code expected} (as sorted lines if asked). */
    static double timedShell(String script, Path output, Path expected, boolean sorted) throws Exception {
        long start = System.nanoTime();
        check(shell(script) == 0, script);
        double seconds = seconds(start);
        if (sorted) {
            List<String> got = new ArrayList<>(Files.readAllLines(output));
            List<String> want = new ArrayList<>(Files.readAllLines(expected));
            Collections.sort(got);
            Collections.sort(want);
            check(got.equals(want), "sorted output of " + script);
        } else {
            check(Files.mismatch(output, expected) == -1, "output of " + script);
        }
        return seconds;
    }

    static int shell(String script) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("bash", "-c", script).redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        process.getOutputStream().close();
        return process.waitFor();
    }

    /** Lines of lower-case words, digits and spaces (nothing a shell or xargs would read specially). */
    static Path textLines(Path file, int count) throws IOException {
        if (Files.exists(file)) {
            return file;
        }
        java.util.Random random = new java.util.Random(42);
        String[] words = {"lorem", "ipsum", "dolor", "sit", "amet", "procpool", "chunk", "worker", "broker", "line"};
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int n = 1; n <= count; n++) {
                out.write("line " + n);
                for (int w = random.nextInt(6); w >= 0; w--) {
                    out.write(' ');
                    out.write(words[random.nextInt(words.length)]);
                }
                out.write('\n');
            }
        }
        return file;
    }

    static void printCommandTable() {
        System.out.printf("%n| scenario (median of %d) | %s |%n", runs, String.join(" | ", TOOLS));
        System.out.println("|---|---|---|---|---|---|");
        commandTimes.forEach((scenario, byTool) -> {
            StringBuilder row = new StringBuilder("| " + scenario + " |");
            for (String tool : TOOLS) {
                List<Double> times = byTool.get(tool);
                row.append(times == null ? " — |" : String.format(" %.3f |", median(times)));
            }
            System.out.println(row);
        });
    }

    // ---- scenario 5: memory -----------------------------------------------------------------------------------

    static void memory() throws Exception {
        System.err.println("memory: 10,000,000 lines, coordinator -Xmx256m, workers -Xmx128m ...");
        Path numbers = numbers(work.resolve("numbers-10m.txt"), 10_000_000);
        int port = freePort();
        Process coordinator = coordinator(port, List.of(), "-Xmx256m", "-Xmx128m -XX:+UseSerialGC", "memory");
        try {
            long start = System.nanoTime();
            Path staging = Files.createDirectories(work.resolve("staging")).resolve("big.txt");
            Files.copy(numbers, staging, StandardCopyOption.REPLACE_EXISTING);
            Files.move(staging, Files.createDirectories(work.resolve("inbox/square")).resolve("big.txt"),
                    StandardCopyOption.ATOMIC_MOVE);
            Path output = work.resolve("outbox/big.txt");
            while (!Files.exists(output)) {
                Thread.sleep(50);
            }
            double seconds = seconds(start);
            long lines;
            try (var stream = Files.lines(output)) {
                lines = stream.count();
            }
            System.out.printf("%n5. memory: 10,000,000-line batch done in %.1f s, %d output lines%n", seconds, lines);
            System.out.printf("   coordinator (-Xmx256m) peak RSS %d MB%n", peakRssMb(coordinator.pid()));
            coordinator.children().forEach(worker -> System.out.printf("   worker pid %d (-Xmx128m) peak RSS %d MB%n",
                    worker.pid(), peakRssMb(worker.pid())));
        } finally {
            stop(coordinator);
        }
    }

    /** CPU seconds (user + system) a coordinator JVM and its worker JVMs have used so far. */
    static double[] cpuSeconds(Process coordinator) {
        double workers = coordinator.children().mapToDouble(worker -> cpuSeconds(worker.pid())).sum();
        return new double[] {cpuSeconds(coordinator.pid()), workers};
    }

    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0; // utime, stime in ticks
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    static long peakRssMb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    static Process coordinator(int port, List<String> extra, String heap, String workerOptions, String name)
            throws Exception {
        return coordinator(port, extra, heap, workerOptions, name, List.of(), true);
    }

    /** @param sets settings ({@code key=value}) given with {@code --set}, e.g. command task declarations */
    static Process coordinator(int port, List<String> extra, String heap, String workerOptions, String name,
                               List<String> sets) throws Exception {
        return coordinator(port, extra, heap, workerOptions, name, sets, true);
    }

    /** @param benchInbox whether the inbox is tuned for the bench (no read lock, 10 ms scans), else as shipped */
    static Process coordinator(int port, List<String> extra, String heap, String workerOptions, String name,
                               List<String> sets, boolean benchInbox) throws Exception {
        return coordinator(port, extra, heap, workerOptions, name, sets, benchInbox, jar, "inbox", "outbox");
    }

    /** As above, running {@code coordinatorJar} from its build folder, with its own inbox and outbox folders. */
    static Process coordinator(int port, List<String> extra, String heap, String workerOptions, String name,
                               List<String> sets, boolean benchInbox, Path coordinatorJar, String inbox,
                               String outbox) throws Exception {
        Path dir = work.resolve("coordinator-" + name);
        Path log = work.resolve("coordinator-" + name + ".log");
        List<String> command = new ArrayList<>(List.of("java", heap, "-jar", coordinatorJar.toString()));
        if (benchInbox) {
            command.addAll(List.of("--set", "procpool.inbox.read-lock-min-age-ms=0",
                    "--set", "procpool.inbox.read-lock-check-interval-ms=10",
                    "--set", "procpool.inbox.poll-delay-ms=10"));
        }
        command.addAll(List.of(
                "--set", "procpool.worker.jvm-options=" + workerOptions,
                "--set", "procpool.http.port=0", // no HTTP API: nothing on 8080 to collide with, nothing to measure
                "coordinator", "--workers", "2", "--broker-port", Integer.toString(port),
                "--data-dir", dir.resolve("data").toString(), "--inbox", work.resolve(inbox).toString(),
                "--outbox", work.resolve(outbox).toString()));
        command.addAll(extra);
        for (String setting : sets) {
            command.add(4, "--set");
            command.add(5, setting);
        }
        // BENCH_SET=key=value;key=value tries other settings
        for (String setting : System.getenv().getOrDefault("BENCH_SET", "").split(";")) {
            if (!setting.isBlank()) {
                command.add(4, "--set");
                command.add(5, setting);
            }
        }
        // BENCH_COORDINATOR_JVM="-XX:... ..." adds options to the coordinator's JVM (a profiler, JFR)
        String jvm = System.getenv().getOrDefault("BENCH_COORDINATOR_JVM", "");
        if (!jvm.isBlank()) {
            command.addAll(2, List.of(jvm.replace("NAME", name).strip().split("\\s+")));
        }
        // BENCH_COORDINATOR_PREFIX="strace -f -o FILE-NAME" runs the coordinator under another program
        String prefix = System.getenv().getOrDefault("BENCH_COORDINATOR_PREFIX", "");
        if (!prefix.isBlank()) {
            command.addAll(0, List.of(prefix.replace("NAME", name).strip().split("\\s+")));
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .directory(coordinatorJar.getParent().getParent().toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        Pattern started = Pattern.compile("worker pid \\d+ started");
        while (System.nanoTime() < deadline) {
            Matcher matcher = started.matcher(Files.readString(log));
            int count = 0;
            while (matcher.find()) {
                count++;
            }
            if (count >= 2) {
                return process;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("coordinator did not start; see " + log);
    }

    static void stop(Process process) throws InterruptedException {
        if (!System.getenv().getOrDefault("BENCH_COORDINATOR_PREFIX", "").isBlank()) {
            // a program run before the coordinator (strace) may only detach when stopped: stop the JVM under it first
            process.children().forEach(ProcessHandle::destroy);
        }
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    static Path numbers(Path file, int count) throws IOException {
        if (Files.exists(file)) {
            return file;
        }
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int n = 1; n <= count; n++) {
                out.write(Integer.toString(n));
                out.write('\n');
            }
        }
        return file;
    }

    static double pythonSeconds(String... args) {
        return pythonJson(args).get("seconds");
    }

    static Map<String, Double> pythonJson(String... args) {
        try {
            List<String> command = new ArrayList<>(List.of(python, Path.of("bench", "python_pool.py").toString()));
            command.addAll(List.of(args));
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String json = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            check(process.waitFor() == 0, "python " + String.join(" ", args));
            Map<String, Double> values = new LinkedHashMap<>();
            Matcher pair = Pattern.compile("\"(\\w+)\": ([-\\d.eE]+)").matcher(json);
            while (pair.find()) {
                values.put(pair.group(1), Double.parseDouble(pair.group(2)));
            }
            return values;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    static void record(String scenario, String unit, double value, Supplier<Double> python) {
        units.put(scenario, unit);
        ours.computeIfAbsent(scenario, k -> new ArrayList<>()).add(value);
        if (python != null) {
            theirs.computeIfAbsent(scenario, k -> new ArrayList<>()).add(python.get());
        }
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    static void printTable() {
        System.out.printf("%n| scenario | procpool (median of %d) | Python Pool (median of %d) | procpool / Python |%n",
                runs, runs);
        System.out.println("|---|---|---|---|");
        for (String scenario : ours.keySet()) {
            double mine = median(ours.get(scenario));
            List<Double> py = theirs.get(scenario);
            String pyText = py == null ? "—" : String.format("%.3f", median(py));
            String ratio = py == null ? "—" : String.format("%.2f", mine / median(py));
            System.out.printf("| %s | %.3f | %s | %s |%n", scenario, mine, pyText, ratio);
        }
        speedUp("2. CPU-bound map, 1 worker(s) (s)", "2. CPU-bound map, 2 worker(s) (s)", "");
        speedUp("2. CPU-bound map, 1 worker(s), warm (s)", "2. CPU-bound map, 2 worker(s), warm (s)", ", warm");
    }

    static void speedUp(String one, String two, String which) {
        if (ours.containsKey(one) && ours.containsKey(two)) {
            System.out.printf("%nspeed-up 1 -> 2 workers%s: procpool %.2fx, Python %.2fx%n", which,
                    median(ours.get(one)) / median(ours.get(two)), median(theirs.get(one)) / median(theirs.get(two)));
        }
    }

    static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static void check(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("benchmark check failed: " + what);
        }
    }
}
