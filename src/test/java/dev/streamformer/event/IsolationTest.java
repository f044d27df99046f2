package dev.streamformer.event;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IsolationTest {

    @Test
    void onlyTheBadTextFailsAndOrderIsKept() {
        List<String> texts = IntStream.range(0, 64).mapToObj(i -> i == 37 ? "bad" : "t" + i).toList();
        AtomicInteger calls = new AtomicInteger();
        var outcomes = Isolation.run(texts, batch -> {
            calls.incrementAndGet();
            if (batch.contains("bad")) throw new IllegalArgumentException("bad text");
            List<String> out = new ArrayList<>();
            for (String t : batch) out.add(t.toUpperCase());
            return out;
        });
        assertEquals(64, outcomes.size());
        for (int i = 0; i < 64; i++) {
            if (i == 37) {
                assertFalse(outcomes.get(i).ok());
                assertEquals("bad text", outcomes.get(i).error().getMessage());
            } else {
                assertTrue(outcomes.get(i).ok());
                assertEquals("T" + i, outcomes.get(i).result());
            }
        }
        assertTrue(calls.get() <= 1 + 2 * 6 + 1, "bisection calls: " + calls.get());
    }
}
