package dev.streamformer.chat.jinja;

import java.util.ArrayList;
import java.util.List;

/**
 * Python's {@code str} semantics where they differ from Java's: what counts as whitespace ({@code str.isspace}),
 * {@code strip}/{@code split}/{@code title}/{@code capitalize}, {@code repr}, and lengths and indices counted in
 * code points (Python's {@code len("🙂")} is 1, Java's {@code length()} is 2).
 */
final class PyStrings {

    private PyStrings() {}

    /** Python's {@code str.isspace} for one character (all such characters are in the Basic Multilingual Plane). */
    static boolean isSpace(int c) {
        return switch (c) {
            case ' ', '\t', '\n', '\u000b', '\f', '\r', '\u001c', '\u001d', '\u001e', '\u001f', '\u0085',
                 '\u2028', '\u2029' -> true;
            default -> c > 0x7f && Character.getType(c) == Character.SPACE_SEPARATOR;
        };
    }

    /** True when {@code text} from {@code from} on is whitespace only. */
    static boolean isBlank(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            if (!isSpace(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** {@code str.strip(chars)}: {@code chars} null strips whitespace. */
    static String strip(String s, String chars) {
        return lstrip(rstrip(s, chars), chars);
    }

    static String lstrip(String s, String chars) {
        int i = 0;
        while (i < s.length()) {
            int c = s.codePointAt(i);
            if (!stripped(c, chars)) {
                break;
            }
            i += Character.charCount(c);
        }
        return s.substring(i);
    }

    static String rstrip(String s, String chars) {
        int i = s.length();
        while (i > 0) {
            int c = s.codePointBefore(i);
            if (!stripped(c, chars)) {
                break;
            }
            i -= Character.charCount(c);
        }
        return s.substring(0, i);
    }

    private static boolean stripped(int c, String chars) {
        return chars == null ? isSpace(c) : chars.indexOf(Character.toString(c)) >= 0;
    }

    /** {@code str.split(sep, maxsplit)}: {@code sep} null splits on runs of whitespace and drops empty ends. */
    static List<String> split(String s, String sep, long maxSplit) {
        List<String> parts = new ArrayList<>();
        if (sep == null) {
            int i = 0;
            while (true) {
                while (i < s.length() && isSpace(s.charAt(i))) {
                    i++;
                }
                if (i >= s.length()) {
                    return parts;
                }
                if (maxSplit >= 0 && parts.size() == maxSplit) {
                    parts.add(rstrip(s.substring(i), null));
                    return parts;
                }
                int start = i;
                while (i < s.length() && !isSpace(s.charAt(i))) {
                    i++;
                }
                parts.add(s.substring(start, i));
            }
        }
        if (sep.isEmpty()) {
            throw new TemplateRenderException("empty separator");
        }
        int start = 0;
        int at;
        while ((maxSplit < 0 || parts.size() < maxSplit) && (at = s.indexOf(sep, start)) >= 0) {
            parts.add(s.substring(start, at));
            start = at + sep.length();
        }
        parts.add(s.substring(start));
        return parts;
    }

    /** {@code str.capitalize()}: first character upper case, the rest lower case. */
    static String capitalize(String s) {
        if (s.isEmpty()) {
            return s;
        }
        int first = s.codePointAt(0);
        int n = Character.charCount(first);
        return Character.toString(first).toUpperCase(java.util.Locale.ROOT) + s.substring(n).toLowerCase(java.util.Locale.ROOT);
    }

    /** {@code str.title()}: a cased letter after an uncased character goes upper case, every other one lower case. */
    static String title(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean previousCased = false;
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            String ch = Character.toString(c);
            boolean cased = Character.isUpperCase(c) || Character.isLowerCase(c) || Character.isTitleCase(c);
            out.append(cased && !previousCased ? ch.toUpperCase(java.util.Locale.ROOT) : ch.toLowerCase(java.util.Locale.ROOT));
            previousCased = cased;
            i += Character.charCount(c);
        }
        return out.toString();
    }

    /** Python's {@code repr} of a string: single quotes unless it holds a single quote and no double quote. */
    static String repr(String s) {
        char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder out = new StringBuilder(s.length() + 2).append(quote);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c == quote) {
                        out.append('\\').append(c);
                    } else if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append(quote).toString();
    }

    /** Python's {@code len}: the number of code points. */
    static int length(String s) {
        return s.codePointCount(0, s.length());
    }

    /** The code points of {@code s} as one-character strings, as iterating a Python string gives them. */
    static List<Object> characters(String s) {
        List<Object> out = new ArrayList<>(s.length());
        s.codePoints().forEach(c -> out.add(Character.toString(c)));
        return out;
    }
}
