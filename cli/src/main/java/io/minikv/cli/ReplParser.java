package io.minikv.cli;

import java.util.Locale;
import java.util.function.Function;

/**
 * Parses a REPL line. The command word is case-insensitive. A key is one word, or a quoted string
 * when it holds spaces. The value of {@code set} is the rest of the line, trimmed, with one pair of
 * surrounding quotes (double or single) removed, so {@code set a "hello world"} stores {@code hello
 * world}. There are no escapes: what is between the quotes is taken as it is.
 */
final class ReplParser {
    private ReplParser() {}

    static ReplRequest parse(String line) {
        String text = line.strip();
        if (text.isEmpty()) {
            return new ReplRequest.Blank();
        }
        int end = endOfWord(text);
        String command = text.substring(0, end);
        String arguments = text.substring(end).strip();
        String name = command.toLowerCase(Locale.ROOT);
        return switch (name) {
            case "set" -> set(arguments);
            case "get" -> keyOnly(arguments, ReplRequest.Get::new, "get KEY");
            case "delete" -> keyOnly(arguments, ReplRequest.Delete::new, "delete KEY");
            case "list" -> noArguments(arguments, new ReplRequest.ListKeys(), "list");
            case "stats" -> noArguments(arguments, new ReplRequest.Stats(), "stats");
            case "compact" -> noArguments(arguments, new ReplRequest.Compact(), "compact");
            case "help" -> noArguments(arguments, new ReplRequest.Help(), "help");
            case "quit", "exit" -> noArguments(arguments, new ReplRequest.Quit(), name);
            default -> new ReplRequest.Unknown(command);
        };
    }

    private static ReplRequest set(String arguments) {
        Word key = firstWord(arguments);
        if (key == null || key.rest().isEmpty()) {
            return new ReplRequest.Malformed("set KEY VALUE");
        }
        return new ReplRequest.Set(key.text(), unquote(key.rest()));
    }

    private static ReplRequest keyOnly(String arguments, Function<String, ReplRequest> request, String usage) {
        Word key = firstWord(arguments);
        if (key == null || !key.rest().isEmpty()) {
            return new ReplRequest.Malformed(usage);
        }
        return request.apply(key.text());
    }

    private static ReplRequest noArguments(String arguments, ReplRequest request, String usage) {
        return arguments.isEmpty() ? request : new ReplRequest.Malformed(usage);
    }

    /** A word and the stripped text after it. */
    private record Word(String text, String rest) {}

    /** The first word of {@code text} (already stripped), or null when there is none or its quote is not closed. */
    private static Word firstWord(String text) {
        if (text.isEmpty()) {
            return null;
        }
        char first = text.charAt(0);
        if (isQuote(first)) {
            int close = text.indexOf(first, 1);
            boolean closedAtWordEnd =
                    close > 0 && (close == text.length() - 1 || Character.isWhitespace(text.charAt(close + 1)));
            if (!closedAtWordEnd) {
                return null;
            }
            return new Word(text.substring(1, close), text.substring(close + 1).strip());
        }
        int end = endOfWord(text);
        return new Word(text.substring(0, end), text.substring(end).strip());
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && isQuote(value.charAt(0)) && value.charAt(value.length() - 1) == value.charAt(0)) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }

    private static int endOfWord(String text) {
        int i = 0;
        while (i < text.length() && !Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isQuote(char c) {
        return c == '"' || c == '\'';
    }
}
