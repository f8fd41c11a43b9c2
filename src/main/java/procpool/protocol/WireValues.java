package procpool.protocol;

import java.util.function.Function;

/**
 * Typed reads of a message's headers, each missing or mistyped required header a {@link MalformedMessageException}
 * naming the message, the header and what it held. Whole numbers are taken from any integral number type that
 * fits (JMS senders may set an int where a long is expected); nothing else is converted.
 */
final class WireValues {

    private final String what;
    private final Function<String, Object> headers;

    WireValues(String what, Function<String, Object> headers) {
        this.what = what;
        this.headers = headers;
    }

    String requiredString(String name) {
        String value = optionalString(name);
        if (value == null) {
            throw missing(name);
        }
        return value;
    }

    String optionalString(String name) {
        Object value = headers.apply(name);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        throw wrongType(name, value, "a string");
    }

    int requiredInt(String name) {
        Integer value = optionalInt(name);
        if (value == null) {
            throw missing(name);
        }
        return value;
    }

    Integer optionalInt(String name) {
        Object value = headers.apply(name);
        if (value == null) {
            return null;
        }
        Long whole = whole(value);
        if (whole == null || whole < Integer.MIN_VALUE || whole > Integer.MAX_VALUE) {
            throw wrongType(name, value, "an int");
        }
        return whole.intValue();
    }

    long requiredLong(String name) {
        Object value = headers.apply(name);
        if (value == null) {
            throw missing(name);
        }
        return optionalLong(name, 0);
    }

    long optionalLong(String name, long absent) {
        Object value = headers.apply(name);
        if (value == null) {
            return absent;
        }
        Long whole = whole(value);
        if (whole == null) {
            throw wrongType(name, value, "a long");
        }
        return whole;
    }

    boolean requiredBoolean(String name) {
        Object value = headers.apply(name);
        if (value == null) {
            throw missing(name);
        }
        if (value instanceof Boolean bool) {
            return bool;
        }
        throw wrongType(name, value, "a boolean");
    }

    private static Long whole(Object value) {
        return value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte
                ? ((Number) value).longValue() : null;
    }

    private MalformedMessageException missing(String name) {
        return new MalformedMessageException(what + " lacks header " + name);
    }

    private MalformedMessageException wrongType(String name, Object value, String type) {
        return new MalformedMessageException(what + ": header " + name + " must be " + type + ", was "
                + value.getClass().getSimpleName() + " " + shown(value));
    }

    /** A header's value in a message: at most 50 characters of it. */
    static String shown(Object value) {
        String shown = String.valueOf(value);
        return shown.length() > 50 ? shown.substring(0, 50) + "…" : shown;
    }
}
