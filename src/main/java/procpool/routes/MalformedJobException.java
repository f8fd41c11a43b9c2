package procpool.routes;

/** A job message that cannot be run at all (wrong message type, missing or invalid property). */
final class MalformedJobException extends Exception {

    MalformedJobException(String message) {
        super(message);
    }
}
