package procpool.protocol;

/** A message that is not what the protocol says: a required header missing, of the wrong type, or damaged. */
public final class MalformedMessageException extends IllegalArgumentException {

    public MalformedMessageException(String message) {
        super(message);
    }
}
