package dev.streamformer.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamformer.task.Task;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CPU burnt on threads named as Kafka names them lands in their groups, and CPU burnt inside the task's model call is
 * taken out of the calling thread's group. The amounts are what each burning thread measured for itself.
 */
class CpuByThreadTest {

    private static final long MS = 1_000_000;

    @Test
    void threadsThatEndedCountAsNative() throws Exception {
        var cpu = new CpuByThread();
        var inModel = new AtomicLong();
        Task task = cpu.timed(new BurningTask(inModel));
        var outsideModel = new AtomicLong();
        var producer = new AtomicLong();
        var before = cpu.snapshot();

        Thread streamThread = new Thread(() -> {
            outsideModel.addAndGet(burn(100 * MS));
            task.run(List.of("a text"));
        }, "bench-1-0b7c-StreamThread-1");
        Thread producerThread = new Thread(() -> producer.set(burn(80 * MS)),
                "kafka-producer-network-thread | bench-1-0b7c-StreamThread-1-producer");
        streamThread.start();
        producerThread.start();
        streamThread.join();
        producerThread.join();
        CpuByThread.Breakdown used = cpu.snapshot().since(before);

        // both threads ended before the second snapshot: the JVM no longer lists them, so their CPU (the process's) is
        // in the native row, and the model's share is not counted twice
        long burnt = inModel.get() + outsideModel.get() + producer.get();
        assertEquals(0, used.cpuNanos().get(CpuByThread.Group.STREAM_THREAD));
        assertEquals(0, used.cpuNanos().get(CpuByThread.Group.MODEL));
        assertTrue(used.cpuNanos().get(CpuByThread.Group.NATIVE) >= burnt - 20 * MS,
                "native " + used.cpuNanos().get(CpuByThread.Group.NATIVE) / MS + " ms, burnt " + burnt / MS + " ms");
    }

    @Test
    void liveThreadsAreCountedInTheirGroup() throws Exception {
        var cpu = new CpuByThread();
        var inModel = new AtomicLong();
        Task task = cpu.timed(new BurningTask(inModel));
        var outsideModel = new AtomicLong();
        var producer = new AtomicLong();
        var done = new java.util.concurrent.CountDownLatch(2);
        var release = new java.util.concurrent.CountDownLatch(1);
        var before = cpu.snapshot();

        Thread streamThread = new Thread(() -> {
            outsideModel.addAndGet(burn(100 * MS));
            task.run(List.of("a text"));
            awaitRelease(done, release);
        }, "bench-1-0b7c-StreamThread-1");
        Thread producerThread = new Thread(() -> {
            producer.set(burn(80 * MS));
            awaitRelease(done, release);
        }, "kafka-producer-network-thread | bench-1-0b7c-StreamThread-1-producer");
        streamThread.start();
        producerThread.start();
        done.await();
        CpuByThread.Breakdown used = cpu.snapshot().since(before);
        release.countDown();
        streamThread.join();
        producerThread.join();

        long tolerance = 15 * MS; // the threads' own start-up and the latch, around what they measured
        assertNear(inModel.get(), used.cpuNanos().get(CpuByThread.Group.MODEL), tolerance, "model");
        assertNear(outsideModel.get(), used.cpuNanos().get(CpuByThread.Group.STREAM_THREAD), tolerance, "stream thread");
        assertNear(producer.get(), used.cpuNanos().get(CpuByThread.Group.PRODUCER), tolerance, "producer");
        // the process's CPU time is counted in clock ticks (10 ms on Linux), the threads' to the nanosecond: allow a
        // tick at each end
        long burnt = inModel.get() + outsideModel.get() + producer.get();
        assertTrue(used.processCpuNanos() >= burnt - 20 * MS,
                "process " + used.processCpuNanos() / MS + " ms, burnt " + burnt / MS + " ms");
    }

    @Test
    void namesKafkaGivesItsBrokerAndClientThreads() {
        long other = -1;
        assertEquals(CpuByThread.Group.BROKER, CpuByThread.Group.of("data-plane-kafka-request-handler-3", 7, other));
        assertEquals(CpuByThread.Group.BROKER, CpuByThread.Group.of("kafka-1-raft-io-thread", 7, other));
        assertEquals(CpuByThread.Group.BROKER, CpuByThread.Group.of("quorum-controller-1-event-handler", 7, other));
        assertEquals(CpuByThread.Group.CONSUMER_ADMIN, CpuByThread.Group.of("kafka-coordinator-heartbeat-thread | bench-1", 7, other));
        assertEquals(CpuByThread.Group.STREAMS_OTHER, CpuByThread.Group.of("bench-1-0b7c-StateUpdater-1", 7, other));
        assertEquals(CpuByThread.Group.KERNELS, CpuByThread.Group.of("streamformer-kernel-0", 7, other));
        assertEquals(CpuByThread.Group.BENCH, CpuByThread.Group.of("main", 7, 7));
        assertEquals(CpuByThread.Group.OTHER, CpuByThread.Group.of("Common-Cleaner", 7, other));
    }

    private static void assertNear(long expected, long actual, long tolerance, String what) {
        assertTrue(Math.abs(expected - actual) <= tolerance,
                what + ": measured by the thread " + expected / MS + " ms, grouped " + actual / MS + " ms");
    }

    private static void awaitRelease(java.util.concurrent.CountDownLatch done, java.util.concurrent.CountDownLatch release) {
        done.countDown();
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Spins until this thread has used {@code nanos} of CPU; returns the CPU it used. */
    private static long burn(long nanos) {
        var threads = ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        double sink = 0;
        while (threads.getCurrentThreadCpuTime() - start < nanos) {
            for (int i = 0; i < 10_000; i++) sink += Math.sqrt(i + sink);
        }
        if (sink == -1) System.out.print(""); // keeps the loop from being optimised away
        return threads.getCurrentThreadCpuTime() - start;
    }

    /** A task whose model call burns 150 ms of CPU on the calling thread. */
    private record BurningTask(AtomicLong burnt) implements Task {
        @Override public String name() { return "embed"; }
        @Override public String modelId() { return "burner"; }
        @Override public int countTokens(String text) { return 1; }
        @Override public List<ObjectNode> run(List<String> texts) {
            burnt.addAndGet(burn(150 * MS));
            return texts.stream().map(t -> JsonNodeFactory.instance.objectNode()).toList();
        }
    }
}
