package dev.streamformer.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Number literals read as serde_json's default (best-effort) parser reads them. The expected values follow its
 * algorithm by hand: the digits as an integer, rounded to a double, then one division or multiplication by a power of
 * ten. {@link LlmTokenizersParityTest} checks the consequence against HF itself (XLM-R's ties).
 */
class SerdeJsonFloatsTest {

    @Test
    void digitsThatFitADoubleGiveTheCorrectlyRoundedValue() {
        assertEquals(-5.260732650756836, SerdeJsonFloats.parse("-5.260732650756836"));
        assertEquals(0.0, SerdeJsonFloats.parse("0.0"));
        assertEquals(-3.25e-5, SerdeJsonFloats.parse("-3.25e-5"));
        assertEquals(12.0, SerdeJsonFloats.parse("12"));
    }

    @Test
    void moreDigitsThanADoubleHoldAreRoundedBeforeTheDivision() {
        // 9338128089904785 > 2^53 rounds to the even 9338128089904784 first; the correctly rounded value differs
        assertEquals(-(9338128089904784.0 / 1e15), SerdeJsonFloats.parse("-9.338128089904785"));
        assertEquals(-9.338128089904785 + Math.ulp(9.338128089904785), SerdeJsonFloats.parse("-9.338128089904785"));
    }

    @Test
    void digitsBeyondSixtyFourBitsAreDropped() {
        // 20 digits: the last one would overflow an unsigned 64-bit integer, so it is ignored
        assertEquals(18446744073709551615.0 / 1e19, SerdeJsonFloats.parse("1.84467440737095516159"));
    }
}
