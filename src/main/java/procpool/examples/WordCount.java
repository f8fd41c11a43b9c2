package procpool.examples;

import java.util.List;

import procpool.api.ProcessPool;
import procpool.task.Task;

/**
 * Your own task class with {@code map}: count the words of each line of a text. The task is written once, here;
 * the worker JVMs share this classpath and run it by its class name.
 * Run: {@code java -cp target/procpool.jar procpool.examples.WordCount}
 */
public final class WordCount {

    private WordCount() {
    }

    /** The words of one line, counted in a worker JVM. */
    public static final class WordCountTask implements Task {

        @Override
        public String name() {
            return "word-count";
        }

        @Override
        public String apply(String line) {
            String trimmed = line.strip();
            return Integer.toString(trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length);
        }
    }

    static final List<String> POEM = List.of(
            "Two roads diverged in a yellow wood,",
            "And sorry I could not travel both",
            "And be one traveler, long I stood",
            "And looked down one as far as I could",
            "To where it bent in the undergrowth;");

    public static void main(String[] args) {
        List<String> counts;
        try (ProcessPool pool = ProcessPool.create(2)) {
            counts = pool.map(WordCountTask.class, POEM);
        }
        for (int i = 0; i < POEM.size(); i++) {
            System.out.println(counts.get(i) + "  " + POEM.get(i));
        }
    }
}
