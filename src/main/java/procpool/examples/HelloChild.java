package procpool.examples;

import procpool.api.WorkerProcess;

/**
 * Python's {@code Process(target=print_message)}: a child JVM prints a greeting; the parent waits for it.
 * Run: {@code java -cp target/procpool.jar procpool.examples.HelloChild}
 */
public final class HelloChild {

    private HelloChild() {
    }

    /** The child's entry point: what Python passes as {@code target}. */
    public static final class PrintMessage {

        private PrintMessage() {
        }

        public static void main(String[] args) {
            System.out.println("Hello from the child process!");
        }
    }

    public static void main(String[] args) throws InterruptedException {
        WorkerProcess process = WorkerProcess.start(PrintMessage.class);
        process.join();
        System.out.println("child pid " + process.pid() + " (parent pid " + ProcessHandle.current().pid()
                + ") exited with code " + process.exitCode().orElseThrow());
    }
}
