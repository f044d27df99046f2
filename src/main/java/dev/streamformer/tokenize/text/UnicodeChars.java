package dev.streamformer.tokenize.text;

/** Character classes as Hugging Face tokenizers (Rust) define them. */
public final class UnicodeChars {

    private UnicodeChars() {}

    /** Rust's {@code char::is_whitespace}: the Unicode White_Space property. */
    public static boolean isWhitespace(int c) {
        return switch (c) {
            case 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000 -> true;
            default -> c >= 0x2000 && c <= 0x200A;
        };
    }

    /** Unicode general category P* (Pc, Pd, Ps, Pe, Pi, Pf, Po), as of Unicode 8.0 like HF. */
    public static boolean isPunctuation(int c) {
        return Unicode8Categories.in(Unicode8Categories.PUNCTUATION, c);
    }

    /** BERT's punctuation: any ASCII punctuation (including symbols such as {@code $ + < = > ^ ` |  ~}) or P*. */
    public static boolean isBertPunctuation(int c) {
        boolean asciiPunctuation = (c >= 0x21 && c <= 0x2F) || (c >= 0x3A && c <= 0x40) || (c >= 0x5B && c <= 0x60)
                || (c >= 0x7B && c <= 0x7E);
        return asciiPunctuation || (c >= 0x80 && isPunctuation(c));
    }

    /** Categories Cc, Cf, Co as of Unicode 8.0 (what HF's {@code unicode_categories} calls "other"; not Cn). */
    public static boolean isOther(int c) {
        return c < 0x80 ? c < 0x20 || c == 0x7F : Unicode8Categories.in(Unicode8Categories.OTHER, c);
    }

    /** Category Mn as of Unicode 8.0, like HF. */
    public static boolean isNonSpacingMark(int c) {
        return c >= 0x300 && Unicode8Categories.in(Unicode8Categories.NON_SPACING_MARK, c);
    }

    /** The CJK ideograph blocks BERT surrounds with spaces. */
    public static boolean isChineseChar(int c) {
        return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2A6DF)
                || (c >= 0x2A700 && c <= 0x2B73F) || (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B920 && c <= 0x2CEAF)
                || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
    }
}
