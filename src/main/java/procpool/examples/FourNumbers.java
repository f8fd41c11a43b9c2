package procpool.examples;

import java.util.ArrayList;
import java.util.List;

import procpool.api.WorkerProcess;

/**
 * Python's four {@code Process(target=print_number, args=(i,))}: four child JVMs each print a number; the parent
 * joins them all. Run: {@code java -cp target/procpool.jar procpool.examples.FourNumbers}
 */
public final class FourNumbers {

    private FourNumbers() {
    }

    /** The children's entry point: {@code print_number(num)}. */
    public static final class PrintNumber {

        private PrintNumber() {
        }

        public static void main(String[] args) {
            System.out.println("Number: " + args[0]);
        }
    }

    public static void main(String[] args) throws InterruptedException {
        List<WorkerProcess> processes = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            processes.add(WorkerProcess.start(PrintNumber.class, Integer.toString(i)));
        }
        for (WorkerProcess process : processes) {
            process.join();
        }
        System.out.println("joined " + processes.size() + " processes: pids "
                + processes.stream().map(WorkerProcess::pid).toList());
    }
}
