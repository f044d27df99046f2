package dev.streamformer.tokenize;

/**
 * Reads a JSON number the way Hugging Face tokenizers gets it from {@code serde_json} without its
 * {@code float_roundtrip} feature: the decimal digits are gathered into a 64-bit integer (digits that would overflow
 * it are dropped), which is converted to a double and then multiplied or divided once by a power of ten. That is
 * not always the correctly rounded value {@link Double#parseDouble} gives: XLM-R's score {@code -9.338128089904785}
 * comes out one ulp higher. Unigram scores must be read this way, because a one-ulp difference can decide which of two
 * equally good segmentations wins ({@code aaaa...} in XLM-R).
 */
final class SerdeJsonFloats {

    /** Powers of ten that a double holds as the nearest value, like serde_json's table. */
    private static final double[] POW10 = new double[309];

    static {
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = Double.parseDouble("1e" + i);
        }
    }

    private SerdeJsonFloats() {}

    /** The value of a JSON number literal (as in the file: sign, digits, optional fraction and exponent). */
    static double parse(String literal) {
        int i = 0;
        boolean positive = true;
        if (literal.charAt(0) == '-') {
            positive = false;
            i++;
        }
        long significand = 0; // unsigned
        int exponent = 0;
        boolean integerOverflowed = false;
        for (; i < literal.length() && isDigit(literal.charAt(i)); i++) {
            integerOverflowed |= wouldOverflow(significand, literal.charAt(i) - '0');
            if (integerOverflowed) {
                exponent++; // serde_json drops the digit and scales instead
            } else {
                significand = significand * 10 + (literal.charAt(i) - '0');
            }
        }
        if (i < literal.length() && literal.charAt(i) == '.') {
            boolean fractionOverflowed = false;
            for (i++; i < literal.length() && isDigit(literal.charAt(i)); i++) {
                fractionOverflowed |= wouldOverflow(significand, literal.charAt(i) - '0');
                if (!fractionOverflowed) {
                    significand = significand * 10 + (literal.charAt(i) - '0');
                    exponent--;
                }
            }
        }
        if (i < literal.length() && (literal.charAt(i) == 'e' || literal.charAt(i) == 'E')) {
            exponent += Integer.parseInt(literal.substring(i + 1).replace("+", ""));
        }
        double f = unsignedToDouble(significand);
        while (true) {
            int power = Math.abs(exponent);
            if (power < POW10.length) {
                f = exponent >= 0 ? f * POW10[power] : f / POW10[power];
                break;
            }
            if (f == 0.0 || exponent >= 0) {
                break; // serde_json refuses an overflow; such a literal does not occur in a tokenizer file
            }
            f /= 1e308;
            exponent += 308;
        }
        return positive ? f : -f;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Whether {@code significand * 10 + digit} exceeds the unsigned 64-bit range. */
    private static boolean wouldOverflow(long significand, int digit) {
        long max = -1L; // u64::MAX
        long tenth = Long.divideUnsigned(max, 10);
        int compare = Long.compareUnsigned(significand, tenth);
        return compare > 0 || (compare == 0 && digit > Long.remainderUnsigned(max, 10));
    }

    /** Rounds an unsigned 64-bit value to the nearest double, as Rust's {@code u64 as f64} does. */
    private static double unsignedToDouble(long value) {
        if (value >= 0) {
            return (double) value;
        }
        // halve with the lost bit kept as a sticky bit, so that the rounding stays correct
        return (double) ((value >>> 1) | (value & 1)) * 2.0;
    }
}
