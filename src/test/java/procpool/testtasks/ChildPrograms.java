package procpool.testtasks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import procpool.api.ProcessPool;

/** Entry points run in child JVMs by the WorkerProcess and ProcessPool tests. */
public final class ChildPrograms {

    private ChildPrograms() {
    }

    /** Exits with the code given. */
    public static final class ExitWith {
        public static void main(String[] args) {
            System.exit(Integer.parseInt(args[0]));
        }
    }

    /** Throws from main. */
    public static final class Fails {
        public static void main(String[] args) {
            throw new IllegalStateException("failing on purpose");
        }
    }

    /** Sleeps a minute. */
    public static final class Sleeps {
        public static void main(String[] args) throws InterruptedException {
            Thread.sleep(60_000);
        }
    }

    /** Starts a sleeping grandchild, writes the grandchild's PID to the file given, then sleeps. */
    public static final class StartsSleepingChild {
        public static void main(String[] args) throws Exception {
            procpool.api.WorkerProcess child = procpool.api.WorkerProcess.start(Sleeps.class);
            Files.writeString(Path.of(args[0]), Long.toString(child.pid()));
            Thread.sleep(60_000);
        }
    }

    /** Writes its PID to the file given. */
    public static final class WritesPid {
        public static void main(String[] args) throws Exception {
            Files.writeString(Path.of(args[0]), Long.toString(ProcessHandle.current().pid()));
        }
    }

    /**
     * imap over 1,000,000 generated items through a pool of 2, in a JVM with a small heap: exits 0 if every square
     * came back in order, 2 otherwise; running out of memory ends it with 1.
     */
    public static final class ImapMillionItems {
        public static void main(String[] args) {
            long count = Long.parseLong(args[0]);
            Iterable<String> items = () -> LongStream.rangeClosed(1, count).mapToObj(Long::toString).iterator();
            long seen = 0;
            try (ProcessPool pool = ProcessPool.create(2); Stream<String> squares = pool.imap("square", items)) {
                Iterator<String> results = squares.iterator();
                while (results.hasNext()) {
                    seen++;
                    if (!results.next().equals(Long.toString(seen * seen))) {
                        System.out.println("wrong result at item " + seen);
                        System.exit(2);
                    }
                }
            }
            System.out.println("imap: " + seen + " results in order, max heap "
                    + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB");
            System.exit(seen == count ? 0 : 2);
        }
    }
}
