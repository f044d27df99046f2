package dev.streamformer.task;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenBudgetTest {

    @Test
    void everyTextLandsInExactlyOneBatchWithinTheBudget() {
        Random random = new Random(7);
        int[] lengths = random.ints(1000, 3, 300).toArray();
        TokenBudget budget = new TokenBudget(4096, 32);
        List<int[]> plan = budget.plan(lengths);
        int[] seen = new int[lengths.length];
        for (int[] batch : plan) {
            assertTrue(batch.length <= 32, "batch size");
            int longest = Arrays.stream(batch).map(i -> lengths[i]).max().orElseThrow();
            assertTrue((long) longest * batch.length <= 4096 || batch.length == 1, "padded tokens within budget");
            for (int i : batch) seen[i]++;
        }
        for (int count : seen) assertEquals(1, count);
    }

    @Test
    void sortingByLengthPadsLittle() {
        Random random = new Random(11);
        int[] lengths = random.ints(2000, 5, 128).toArray();
        long real = Arrays.stream(lengths).sum();
        long padded = 0;
        for (int[] batch : new TokenBudget(8192, 64).plan(lengths)) {
            padded += (long) Arrays.stream(batch).map(i -> lengths[i]).max().orElseThrow() * batch.length;
            for (int i = 1; i < batch.length; i++) assertTrue(lengths[batch[i - 1]] <= lengths[batch[i]], "a batch in length order");
        }
        assertTrue(padded < real * 1.05, "padding overhead " + (double) padded / real);
    }

    @Test
    void aTextLongerThanTheBudgetStillGetsABatchOfItsOwn() {
        List<int[]> plan = new TokenBudget(100, 8).plan(new int[]{500, 10, 10});
        assertEquals(2, plan.size());
        assertEquals(1, plan.get(1).length);
    }

    @Test
    void rejectsAnEmptyBudget() {
        assertThrows(IllegalArgumentException.class, () -> new TokenBudget(0, 1));
    }
}
