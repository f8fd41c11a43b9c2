package procpool.chunk;

/** An input file that changed while it was being read: the batch would not be the file's whole content. */
final class InputChangedException extends RuntimeException {

    /** @param change as {@link InputSnapshot#changeTo} says it; the route that fails the batch adds the file name */
    InputChangedException(String change) {
        super(change);
    }

    /** Just the message: it is what users read in the log and in the {@code .error} file. */
    @Override
    public String toString() {
        return getMessage();
    }
}
