package dev.streamformer.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamformer.task.EventInput;
import dev.streamformer.task.PreparedText;
import dev.streamformer.task.Task;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToLongFunction;

/**
 * Where the CPU of this process goes between two moments, by thread group: the measure of a benchmark that still
 * holds when other processes share the cores, where wall-clock time does not.
 *
 * <p>Java threads are read one by one ({@code ThreadMXBean.getThreadCpuTime}) and grouped by name ({@link Group#of}).
 * The task's own work is taken out of whichever thread called it: {@link #timed} wraps the task so that the CPU
 * spent inside its tokenizer ({@code prepare}, {@code countTokens}) and its model ({@code run}, {@code runPrepared}) is
 * counted per calling thread. What the JVM's thread list does not show (ONNX Runtime's native threads, the GC, the
 * JIT compilers, threads that ended in between) is the process's CPU ({@code OperatingSystemMXBean.getProcessCpuTime})
 * minus the Java threads'; on Linux the GC's and the JIT's share of it is read from {@code /proc/self/task/*}{@code /stat}
 * by thread name ({@link JvmThreads}), and the rest is native (ONNX Runtime's threads, when that engine runs).
 */
public final class CpuByThread {

    /** What a thread group works for: the task (tokenizer and model), Kafka (broker, clients, Streams), or the JVM. */
    public enum Part { TASK, KAFKA, JVM }

    /** Thread groups, in the order a table shows them. */
    public enum Group {
        TOKENIZE(Part.TASK, "tokenizer (prepare), on the calling thread"),
        MODEL(Part.TASK, "model calls, on the calling thread"),
        KERNELS(Part.TASK, "Java engine's kernel threads (streamformer-kernel-*)"),
        NATIVE(Part.TASK, "native threads: ONNX Runtime's (and threads that ended)"),
        GC(Part.JVM, "JVM garbage collector threads"),
        JIT(Part.JVM, "JVM JIT compiler threads"),
        STREAM_THREAD(Part.KAFKA, "Kafka Streams stream thread, model and tokenizer excluded"),
        STREAMS_OTHER(Part.KAFKA, "Kafka Streams' other threads (state updater, cleaner)"),
        PRODUCER(Part.KAFKA, "producer network threads"),
        CONSUMER_ADMIN(Part.KAFKA, "consumer heartbeat/background, admin client threads"),
        BROKER(Part.KAFKA, "in-process KRaft broker"),
        BENCH(Part.KAFKA, "bench thread (raw: batching; pipeline: reading the output)"),
        OTHER(Part.JVM, "other Java threads");

        public final Part part;
        public final String label;

        Group(Part part, String label) {
            this.part = part;
            this.label = label;
        }

        /**
         * The group of a Java thread, by the names that Kafka 4 and Streamformer give their threads. The broker's
         * threads are the ones named by Kafka's server side (request handlers, network processors, the log manager,
         * the KRaft controller and raft threads, purgatories, coordinators, ...).
         */
        static Group of(String name, long threadId, long benchThreadId) {
            if (threadId == benchThreadId) return BENCH;
            if (name.startsWith("streamformer-kernel-")) return KERNELS;
            if (name.startsWith("kafka-producer-network-thread")) return PRODUCER;
            if (name.startsWith("kafka-coordinator-heartbeat-thread") || name.startsWith("consumer_background_thread")
                    || name.startsWith("kafka-admin-client-thread")) return CONSUMER_ADMIN;
            if (name.matches(".*-StreamThread-\\d+")) return STREAM_THREAD;
            if (name.matches(".*-(StateUpdater|CleanupThread|GlobalStreamThread).*")) return STREAMS_OTHER;
            if (name.matches("kafka-\\d+-.*") || BROKER_NAMES.stream().anyMatch(name::startsWith)) return BROKER;
            return OTHER;
        }
    }

    /** How the threads of Kafka 4's broker and KRaft controller begin their names (seen in a thread dump). */
    private static final List<String> BROKER_NAMES = List.of("data-plane-kafka-", "kafka-scheduler-", "ExpirationReaper-",
            "broker-", "controller-", "quorum-controller-", "raft-", "kafka-log-cleaner-", "LogDirFailureHandler",
            "TxnMarkerSenderThread-", "AddPartitionsToTxnSenderThread-", "group-coordinator-", "share-coordinator-",
            "share-group-", "ShareGroupDLQSendThread", "PersisterStateManager", "transaction-log-manager-", "executor-",
            "metrics-meter-tick-thread-", "client-metrics-reaper", "SensorExpiryThread");

    private final com.sun.management.ThreadMXBean threads =
            ManagementFactory.getPlatformMXBean(com.sun.management.ThreadMXBean.class);
    private final com.sun.management.OperatingSystemMXBean os =
            ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class);
    private final long benchThreadId = Thread.currentThread().threadId();
    /** CPU nanos spent inside the task's tokenizer and model, by calling thread id. */
    private final Map<Long, LongAdder> tokenizeByThread = new ConcurrentHashMap<>();
    private final Map<Long, LongAdder> modelByThread = new ConcurrentHashMap<>();

    /** Groups the threads of this process; the thread that creates it is the bench's own ({@link Group#BENCH}). */
    public CpuByThread() {
        if (!threads.isThreadCpuTimeEnabled()) threads.setThreadCpuTimeEnabled(true);
    }

    /** The CPU of this process so far: each Java thread's, the task's share of it, and the process's total. */
    Snapshot snapshot() {
        long[] ids = threads.getAllThreadIds();
        long[] cpu = threads.getThreadCpuTime(ids);
        ThreadInfo[] infos = threads.getThreadInfo(ids, 0);
        Map<Long, Sample> byThread = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            if (cpu[i] >= 0 && infos[i] != null) {
                byThread.put(ids[i], new Sample(Group.of(infos[i].getThreadName(), ids[i], benchThreadId), cpu[i],
                        sum(tokenizeByThread, ids[i]), sum(modelByThread, ids[i])));
            }
        }
        return new Snapshot(System.nanoTime(), os.getProcessCpuTime(), byThread, JvmThreads.read());
    }

    private static long sum(Map<Long, LongAdder> byThread, long id) {
        LongAdder adder = byThread.get(id);
        return adder == null ? 0 : adder.sum();
    }

    /** A thread's CPU time, and how much of it was inside the task's tokenizer and model. */
    record Sample(Group group, long cpuNanos, long tokenizeNanos, long modelNanos) {}

    /** This process's CPU at one moment. */
    record Snapshot(long wallNanos, long processCpuNanos, Map<Long, Sample> byThread, JvmThreads jvm) {

        /** CPU nanos by group from {@code before} to this snapshot (a thread that did not exist then started at 0). */
        Breakdown since(Snapshot before) {
            Map<Group, Long> nanos = new EnumMap<>(Group.class);
            for (Group g : Group.values()) nanos.put(g, 0L);
            long javaThreads = 0;
            for (var entry : byThread.entrySet()) {
                Sample now = entry.getValue();
                Sample then = before.byThread.getOrDefault(entry.getKey(), new Sample(now.group, 0, 0, 0));
                long cpu = now.cpuNanos - then.cpuNanos;
                long tokenize = now.tokenizeNanos - then.tokenizeNanos;
                long model = now.modelNanos - then.modelNanos;
                javaThreads += cpu;
                nanos.merge(Group.TOKENIZE, tokenize, Long::sum);
                nanos.merge(Group.MODEL, model, Long::sum);
                nanos.merge(now.group, cpu - tokenize - model, Long::sum);
            }
            long process = processCpuNanos - before.processCpuNanos;
            long gc = jvm.gcNanos() - before.jvm.gcNanos();
            long jit = jvm.jitNanos() - before.jvm.jitNanos();
            nanos.put(Group.GC, gc);
            nanos.put(Group.JIT, jit);
            nanos.put(Group.NATIVE, Math.max(0, process - javaThreads - gc - jit));
            return new Breakdown(wallNanos - before.wallNanos, process, nanos);
        }
    }

    /**
     * CPU of the JVM's own threads, which {@code ThreadMXBean} does not list: the garbage collector's ({@code GC Thread#n},
     * {@code VM Thread}, which runs the safepoints) and the JIT compilers' ({@code C1/C2 CompilerThread}), from Linux's
     * per-thread {@code /proc/self/task/<tid>/stat} (fields 14 and 15, user and system time in clock ticks); zero where
     * there is no such file.
     */
    record JvmThreads(long gcNanos, long jitNanos) {
        private static final long NANOS_PER_TICK = 10_000_000; // USER_HZ, 100 on Linux

        static JvmThreads read() {
            long gc = 0;
            long jit = 0;
            try (var tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/task"))) {
                for (var task : (Iterable<java.nio.file.Path>) tasks::iterator) {
                    String stat;
                    try {
                        stat = java.nio.file.Files.readString(task.resolve("stat"));
                    } catch (java.io.IOException ended) {
                        continue; // the thread ended while we listed
                    }
                    // "<tid> (<name>) <state> ...": the name may hold spaces and parentheses, the fields after it do not
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // fields 14, 15 of the whole line
                    if (name.startsWith("GC Thread") || name.startsWith("VM Thread")) gc += ticks;
                    else if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) jit += ticks;
                }
            } catch (java.io.IOException | RuntimeException notLinux) {
                return new JvmThreads(0, 0);
            }
            return new JvmThreads(gc * NANOS_PER_TICK, jit * NANOS_PER_TICK);
        }
    }

    /** CPU by group over one timed run, and that run's wall time and process CPU. */
    public record Breakdown(long wallNanos, long processCpuNanos, Map<Group, Long> cpuNanos) {
        /** CPU nanos of the groups that work for {@code part}. */
        public long nanos(Part part) {
            return cpuNanos.entrySet().stream().filter(e -> e.getKey().part == part).mapToLong(Map.Entry::getValue).sum();
        }

        /** Cores this process kept busy on average (process CPU over wall time). */
        public double coresUsed() { return processCpuNanos / (double) Math.max(1, wallNanos); }
    }

    /** The task, with the CPU its tokenizer and model spend counted per calling thread. */
    Task timed(Task task) {
        return new Task() {
            @Override public String name() { return task.name(); }
            @Override public String modelId() { return task.modelId(); }
            @Override public EventInput input() { return task.input(); }
            @Override public int countTokens(String text) { return cpu(tokenizeByThread, text, task::countTokens); }
            @Override public PreparedText prepare(String text) { return cpu(tokenizeByThread, () -> task.prepare(text)); }
            @Override public List<ObjectNode> runPrepared(List<PreparedText> inputs) { return cpu(modelByThread, () -> task.runPrepared(inputs)); }
            @Override public List<ObjectNode> run(List<String> texts) { return cpu(modelByThread, () -> task.run(texts)); }
            @Override public void close() { task.close(); }
        };
    }

    private <T> int cpu(Map<Long, LongAdder> byThread, T input, ToLongFunction<T> call) {
        return cpu(byThread, () -> (int) call.applyAsLong(input));
    }

    private <R> R cpu(Map<Long, LongAdder> byThread, java.util.function.Supplier<R> call) {
        long start = threads.getCurrentThreadCpuTime();
        try {
            return call.get();
        } finally {
            byThread.computeIfAbsent(Thread.currentThread().threadId(), id -> new LongAdder())
                    .add(threads.getCurrentThreadCpuTime() - start);
        }
    }
}
