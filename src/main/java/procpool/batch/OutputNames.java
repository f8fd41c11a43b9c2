package procpool.batch;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * File names procpool gives (outputs, inputs moved to {@code .done} or {@code .failed}) that every file system takes:
 * the input's name, numbered when taken, shortened (keeping its extension, made unique by a hash) when it would be
 * longer than a file name may be.
 */
final class OutputNames {

    /** The longest file name Linux file systems (and most others) take, in bytes: NAME_MAX. */
    static final int MAX_NAME_BYTES = 255;
    /** What an output's name may grow by on disk: {@code .error}, and {@code .} + {@code .part} while written. */
    private static final int OUTPUT_NAME_GROWTH = ".error".length() + ".".length() + ".part".length();
    /** A file name part after the last dot counts as its extension, kept when a name is shortened, up to this. */
    private static final int MAX_EXTENSION_LENGTH = 16;

    private OutputNames() {
    }

    /** {@link #fitted(String, int, int)} for an output, leaving room for its {@code .error} and {@code .part}. */
    static String fitted(String name, int n) {
        return fitted(name, n, MAX_NAME_BYTES - OUTPUT_NAME_GROWTH);
    }

    /**
     * {@code name}, or {@code name-n} for n > 0 ({@code nums.txt} → {@code nums-2.txt}), at most {@code maxBytes}
     * bytes of UTF-8: a longer one keeps its extension and the start of its stem, and gets {@code ~} and 8 hex digits
     * of the SHA-256 of the whole name, so two long names that start alike still get different short ones.
     */
    static String fitted(String name, int n, int maxBytes) {
        String plain = n == 0 ? name : numbered(name, n);
        if (utf8Length(plain) <= maxBytes) {
            return plain;
        }
        int dot = name.lastIndexOf('.');
        String extension = dot > 0 && name.length() - dot <= MAX_EXTENSION_LENGTH ? name.substring(dot) : "";
        String stem = name.substring(0, name.length() - extension.length());
        String tail = "~" + hash(name) + (n == 0 ? "" : "-" + n) + extension;
        return prefixOfAtMost(stem, maxBytes - utf8Length(tail)) + tail;
    }

    private static String hash(String name) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    /** The longest start of {@code text} of at most {@code maxBytes} bytes of UTF-8, never splitting a character. */
    private static String prefixOfAtMost(String text, int maxBytes) {
        int bytes = 0;
        int end = 0;
        while (end < text.length()) {
            int codePoint = text.codePointAt(end);
            bytes += utf8Length(Character.toString(codePoint));
            if (bytes > maxBytes) {
                break;
            }
            end += Character.charCount(codePoint);
        }
        return text.substring(0, end);
    }

    /** {@code name.txt} → {@code name-n.txt}. */
    private static String numbered(String name, int n) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) + "-" + n + name.substring(dot) : name + "-" + n;
    }
}
