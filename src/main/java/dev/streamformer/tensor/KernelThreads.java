package dev.streamformer.tensor;

import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * The threads that share a kernel's work: one per core besides the caller, started once per JVM, as llama.cpp's
 * thread pool does it. A kernel publishes its tasks {@code [0, n)}; the caller and the workers take tasks from one
 * counter until none is left, and the caller returns when all are done.
 *
 * <p>Why not parallel streams on the common ForkJoinPool: decoding one token at batch 1 is a string of about forty
 * matrix-vector products of 0.1–0.5 ms each. A parked ForkJoinPool worker has to be woken for every one of them (a
 * system call and a scheduler hop, tens of microseconds), which is a large share of such a short product. Here a worker
 * that just finished keeps looking for the next kernel for {@link #SPIN_NANOS} before it parks, so the products of one
 * token follow each other without a wake-up; idle workers still park and cost nothing.
 *
 * <p>One kernel at a time: when the threads are busy (another stream thread's model call, or a kernel called from
 * inside a kernel's task) the caller runs its tasks itself. Several stream threads then still share the cores, each
 * at most one core's worth when they collide.
 */
final class KernelThreads {

    /**
     * How long an idle worker looks for the next kernel before it parks: longer than the gaps inside a decoding step.
     * {@code -Dstreamformer.kernelSpinMicros=0} parks at once, for machines whose cores are heavily oversubscribed.
     */
    private static final long SPIN_NANOS = Math.max(0, Long.getLong("streamformer.kernelSpinMicros", 200)) * 1_000;

    /** The tasks of one kernel call. */
    private static final class Job {
        final IntConsumer task;
        final int tasks;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        final Thread caller = Thread.currentThread();
        volatile boolean callerParked;
        volatile Throwable failure;

        Job(IntConsumer task, int tasks) {
            this.task = task;
            this.tasks = tasks;
        }

        /** Takes tasks until none is left; the thread that finishes the last one wakes a parked caller. */
        void work() {
            int finished = 0;
            for (int i; (i = next.getAndIncrement()) < tasks; finished++) {
                try {
                    task.accept(i);
                } catch (Throwable t) {
                    failure = t;
                }
            }
            if (finished > 0 && done.addAndGet(finished) == tasks && callerParked) LockSupport.unpark(caller);
        }
    }

    private static final Worker[] WORKERS = startWorkers(Runtime.getRuntime().availableProcessors() - 1);
    private static final AtomicBoolean BUSY = new AtomicBoolean();
    private static volatile Job current;

    private KernelThreads() {}

    /**
     * Runs {@code task} for {@code 0 .. tasks-1}, spread over the cores when {@code parallel} holds and the threads are
     * free, otherwise in order on the calling thread. Returns when every task is done; rethrows a task's failure.
     */
    static void forEach(int tasks, boolean parallel, IntConsumer task) {
        if (!parallel || tasks < 2 || WORKERS.length == 0 || ForkJoinTask.inForkJoinPool() || !BUSY.compareAndSet(false, true)) {
            for (int i = 0; i < tasks; i++) task.accept(i);
            return;
        }
        try {
            Job job = new Job(task, tasks);
            current = job;
            for (Worker w : WORKERS) if (w.parked) LockSupport.unpark(w);
            job.work();
            awaitAll(job);
            if (job.failure instanceof RuntimeException e) throw e;
            if (job.failure instanceof Error e) throw e;
        } finally {
            BUSY.set(false);
        }
    }

    /** The caller waits for the workers' last tasks: spinning briefly (they are short), then parked until woken. */
    private static void awaitAll(Job job) {
        long start = System.nanoTime();
        while (job.done.get() < job.tasks) {
            if (System.nanoTime() - start < SPIN_NANOS) {
                Thread.onSpinWait();
            } else {
                job.callerParked = true;
                if (job.done.get() < job.tasks) LockSupport.parkNanos(job, 1_000_000);
            }
        }
    }

    private static Worker[] startWorkers(int count) {
        Worker[] workers = new Worker[Math.max(0, count)];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(i);
            workers[i].start();
        }
        return workers;
    }

    /** A worker: takes part in each new kernel, spins a little after it, then parks until the next one is published. */
    private static final class Worker extends Thread {
        volatile boolean parked;

        Worker(int index) {
            super("streamformer-kernel-" + index);
            setDaemon(true);
        }

        @Override
        public void run() {
            Job seen = null;
            while (true) {
                Job job = awaitNewJob(seen);
                job.work();
                seen = job;
            }
        }

        private Job awaitNewJob(Job seen) {
            long start = System.nanoTime();
            Job job;
            while ((job = current) == seen) {
                if (System.nanoTime() - start < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    parked = true;   // set before the last look, so a publisher either sees it or we see its job
                    if (current == seen) LockSupport.park(this);
                    parked = false;
                    start = System.nanoTime();
                }
            }
            return job;
        }
    }
}
