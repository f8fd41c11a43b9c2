package procpool.task.command;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a declared command ({@code procpool.task.<name>.command}) into the program and its arguments, the way a
 * POSIX shell splits words, but with nothing else a shell does (no variables, no globbing, no {@code $(...)}, no
 * redirection, no pipes): those characters are passed on as they are.
 *
 * <ul>
 *   <li>spaces and tabs separate words;</li>
 *   <li>{@code '...'} groups everything up to the next {@code '} into the word, as it is;</li>
 *   <li>{@code "..."} groups everything up to the next unescaped {@code "}; inside, a backslash escapes only
 *       {@code "} and {@code \} and is kept before anything else;</li>
 *   <li>outside quotes, a backslash makes the next character an ordinary one (a space, a quote, a backslash);</li>
 *   <li>quoted and unquoted parts next to each other make one word ({@code a'b c'd} is {@code ab cd}), and
 *       {@code ''} or {@code ""} alone is an empty argument.</li>
 * </ul>
 * An unclosed quote or a backslash at the very end is an error naming the position.
 * (No library on the classpath does this: commons-exec is not a dependency, and Camel's quote helpers do not
 * handle backslashes.)
 */
public final class CommandWords {

    private CommandWords() {
    }

    public static List<String> split(String command) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        int length = command.length();
        while (i < length) {
            char c = command.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                i++;
            } else if (c == '\'') {
                int close = command.indexOf('\'', i + 1);
                if (close < 0) {
                    throw new IllegalArgumentException("unclosed ' at character " + (i + 1) + " of: " + command);
                }
                word.append(command, i + 1, close);
                inWord = true;
                i = close + 1;
            } else if (c == '"') {
                int j = i + 1;
                while (true) {
                    if (j >= length) {
                        throw new IllegalArgumentException("unclosed \" at character " + (i + 1) + " of: " + command);
                    }
                    char d = command.charAt(j);
                    if (d == '"') {
                        break;
                    }
                    char next = j + 1 < length ? command.charAt(j + 1) : 0;
                    if (d == '\\' && (next == '"' || next == '\\')) {
                        word.append(next);
                        j += 2;
                    } else {
                        word.append(d);
                        j++;
                    }
                }
                inWord = true;
                i = j + 1;
            } else if (c == '\\') {
                if (i + 1 >= length) {
                    throw new IllegalArgumentException("a backslash at the end escapes nothing, in: " + command);
                }
                word.append(command.charAt(i + 1));
                inWord = true;
                i += 2;
            } else {
                word.append(c);
                inWord = true;
                i++;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }
}
