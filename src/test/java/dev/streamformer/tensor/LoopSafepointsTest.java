package dev.streamformer.tensor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The check reads HotSpot's own flag: the test JVM runs G1, whose default strip-mines counted loops. */
class LoopSafepointsTest {

    @Test
    void readsTheJvmsFlag() {
        assertEquals("true", LoopSafepoints.option("UseCountedLoopSafepoints"), "G1's default");
        assertNull(LoopSafepoints.option("NoSuchFlagAnywhere"));
    }
}
