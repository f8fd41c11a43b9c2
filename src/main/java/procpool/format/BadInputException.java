package procpool.format;

/**
 * An input whose records cannot all be read, refused before any is sent: the message names the file, the first bad
 * record (record and line, the parser's message) and how many there are.
 */
public final class BadInputException extends Exception {

    public BadInputException(String message) {
        super(message);
    }
}
