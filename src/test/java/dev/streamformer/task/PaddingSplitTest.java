package dev.streamformer.task;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The split of a batch into calls: every text once, and the cheapest split there is, checked by trying them all. */
class PaddingSplitTest {

    @Test
    void textsOfOneLengthStayOneCall() {
        int[] lengths = new int[32];
        Arrays.fill(lengths, 14);
        List<int[]> calls = PaddingSplit.split(IntStream.range(0, 32).toArray(), lengths);
        assertEquals(1, calls.size());
    }

    @Test
    void shortAndLongTextsRunApart() {
        int[] lengths = new int[32];
        for (int i = 0; i < 32; i++) lengths[i] = i % 2 == 0 ? 5 : 60;   // arrival order: short, long, short, ...
        List<int[]> plan = TokenBudget.DEFAULT.plan(lengths);   // one batch, in length order, as Batches hands it over
        assertEquals(1, plan.size());
        List<int[]> calls = PaddingSplit.split(plan.getFirst(), lengths);
        assertEquals(2, calls.size());
        for (int[] call : calls) {
            assertEquals(16, call.length);
            assertTrue(Arrays.stream(call).map(i -> lengths[i]).distinct().count() == 1, Arrays.toString(call));
        }
    }

    @Test
    void theSplitIsTheCheapestOfAllSplitsInLengthOrder() {
        var random = new Random(7);
        for (int round = 0; round < 300; round++) {
            int n = 1 + random.nextInt(12);
            int[] lengths = new int[n + 3];
            for (int i = 0; i < lengths.length; i++) lengths[i] = 1 + random.nextInt(random.nextBoolean() ? 20 : 200);
            int[] group = IntStream.range(3, n + 3).boxed()   // a group need not start at index 0; it comes in length order
                    .sorted(Comparator.comparingInt(i -> lengths[i])).mapToInt(Integer::intValue).toArray();

            List<int[]> calls = PaddingSplit.split(group, lengths);

            int[] seen = calls.stream().flatMapToInt(Arrays::stream).sorted().toArray();
            assertArrayEquals(IntStream.range(3, n + 3).toArray(), seen, "every text exactly once");
            for (int[] call : calls) {
                for (int i = 1; i < call.length; i++) assertTrue(lengths[call[i - 1]] <= lengths[call[i]], "sorted by length");
            }
            assertEquals(bruteForceCheapest(group, lengths), cost(calls, lengths), "round " + round);
        }
    }

    /** The cost of the cheapest split, trying every way to cut the texts, sorted by length, into runs. */
    private static long bruteForceCheapest(int[] group, int[] lengths) {
        int[] sorted = Arrays.stream(group).map(i -> lengths[i]).sorted().toArray();
        int n = sorted.length;
        long best = Long.MAX_VALUE;
        for (int mask = 0; mask < 1 << (n - 1); mask++) {   // bit b set: a cut after text b
            long total = 0;
            int start = 0;
            for (int b = 0; b < n; b++) {
                if (b == n - 1 || (mask & (1 << b)) != 0) {
                    total += PaddingSplit.CALL_COST + (long) (b - start + 1) * sorted[b];
                    start = b + 1;
                }
            }
            best = Math.min(best, total);
        }
        return best;
    }

    private static long cost(List<int[]> calls, int[] lengths) {
        long total = 0;
        for (int[] call : calls) {
            int longest = Arrays.stream(call).map(i -> lengths[i]).max().orElseThrow();
            total += PaddingSplit.CALL_COST + (long) call.length * longest;
        }
        return total;
    }
}
