package dev.streamformer.chat;

import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.Locale;

/**
 * Python's {@code datetime.strftime} in the C locale (as glibc formats it), for the {@code strftime_now(format)}
 * function chat templates call (Llama 3.1 writes {@code strftime_now("%d %b %Y")} as "26 Jul 2024"). Covers the
 * common directives and glibc's {@code -} flag ({@code %-d} = day without padding); any other directive is copied as
 * written.
 */
final class Strftime {

    private Strftime() {}

    static String format(ZonedDateTime t, String format) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 >= format.length()) {
                out.append(c);
                continue;
            }
            boolean unpadded = format.charAt(i + 1) == '-' && i + 2 < format.length();
            char directive = format.charAt(unpadded ? i + 2 : i + 1);
            String value = directive(t, directive, unpadded);
            if (value == null) {
                out.append(c);
                continue;
            }
            out.append(value);
            i += unpadded ? 2 : 1;
        }
        return out.toString();
    }

    /** One directive's text, or null when it is not one we know. */
    private static String directive(ZonedDateTime t, char directive, boolean unpadded) {
        return switch (directive) {
            case 'a' -> t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
            case 'A' -> t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH);
            case 'b', 'h' -> t.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
            case 'B' -> t.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH);
            case 'd' -> number(t.getDayOfMonth(), 2, unpadded);
            case 'e' -> unpadded ? Integer.toString(t.getDayOfMonth()) : String.format("%2d", t.getDayOfMonth());
            case 'm' -> number(t.getMonthValue(), 2, unpadded);
            case 'y' -> number(t.getYear() % 100, 2, unpadded);
            case 'Y' -> Integer.toString(t.getYear());
            case 'H' -> number(t.getHour(), 2, unpadded);
            case 'I' -> number(t.getHour() % 12 == 0 ? 12 : t.getHour() % 12, 2, unpadded);
            case 'M' -> number(t.getMinute(), 2, unpadded);
            case 'S' -> number(t.getSecond(), 2, unpadded);
            case 'f' -> number(t.getNano() / 1000, 6, false);
            case 'p' -> t.getHour() < 12 ? "AM" : "PM";
            case 'j' -> number(t.getDayOfYear(), 3, unpadded);
            case 'u' -> Integer.toString(t.getDayOfWeek().getValue());
            case 'w' -> Integer.toString(t.getDayOfWeek().getValue() % 7);
            case 'F' -> t.getYear() + "-" + number(t.getMonthValue(), 2, false) + "-" + number(t.getDayOfMonth(), 2, false);
            case 'D' -> directive(t, 'm', false) + "/" + directive(t, 'd', false) + "/" + directive(t, 'y', false);
            case 'T' -> directive(t, 'H', false) + ":" + directive(t, 'M', false) + ":" + directive(t, 'S', false);
            case 'z' -> t.getOffset().getTotalSeconds() == 0 ? "+0000" : t.getOffset().getId().replace(":", "");
            case '%' -> "%";
            default -> null;
        };
    }

    private static String number(int value, int width, boolean unpadded) {
        String digits = Integer.toString(value);
        return unpadded || digits.length() >= width ? digits : "0".repeat(width - digits.length()) + digits;
    }
}
