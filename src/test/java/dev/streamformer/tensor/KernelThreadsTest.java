package dev.streamformer.tensor;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The kernel threads run every task exactly once, whoever calls and however often, and pass failures back. */
class KernelThreadsTest {

    @Test
    void everyTaskRunsExactlyOnceAcrossManyCalls() {
        for (int call = 0; call < 2_000; call++) {
            int tasks = 1 + call % 97;
            AtomicIntegerArray runs = new AtomicIntegerArray(tasks);
            KernelThreads.forEach(tasks, true, runs::incrementAndGet);
            for (int i = 0; i < tasks; i++) assertEquals(1, runs.get(i), "task " + i + " of call " + call);
        }
    }

    @Test
    void concurrentCallersAndNestedCallsAllComplete() throws InterruptedException {
        List<Thread> callers = new ArrayList<>();
        AtomicIntegerArray runs = new AtomicIntegerArray(4 * 300 * 16 * 8);
        for (int t = 0; t < 4; t++) {
            int caller = t;
            callers.add(Thread.ofPlatform().start(() -> {
                for (int call = 0; call < 300; call++) {
                    int base = (caller * 300 + call) * 16 * 8;
                    // a kernel whose tasks call a kernel: the inner one runs on the thread of the outer task
                    KernelThreads.forEach(16, true, outer -> KernelThreads.forEach(8, true, inner -> runs.incrementAndGet(base + outer * 8 + inner)));
                }
            }));
        }
        for (Thread t : callers) t.join();
        for (int i = 0; i < runs.length(); i++) assertEquals(1, runs.get(i), "task " + i);
    }

    @Test
    void aFailingTaskFailsTheCallAndLeavesThePoolUsable() {
        IllegalStateException boom = new IllegalStateException("boom");
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> KernelThreads.forEach(64, true, i -> { if (i == 37) throw boom; }));
        assertSame(boom, thrown);
        AtomicIntegerArray runs = new AtomicIntegerArray(64);
        KernelThreads.forEach(64, true, runs::incrementAndGet);
        for (int i = 0; i < 64; i++) assertEquals(1, runs.get(i));
    }
}
