package dev.streamformer.metrics;

import com.sun.management.GcInfo;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The memory figures that show whether a pipeline stays bounded under load: the heap right after the last garbage
 * collection (what the program keeps alive, not what it has merely allocated) and the process's resident memory
 * (which also counts what lives outside the heap: ONNX Runtime's weights and buffers, RocksDB, thread stacks).
 */
public final class ProcessMemory {

    private static final Path PROC_STATUS = Path.of("/proc/self/status");

    private ProcessMemory() {}

    /**
     * Bytes of heap in use when the most recent collection (of any collector) ended, summed over the heap pools;
     * NaN before the first collection. Sampled over time, its maximum is the heap ceiling.
     */
    public static double heapAfterLastGcBytes() {
        Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
        GcInfo latest = null;
        for (var collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (collector instanceof com.sun.management.GarbageCollectorMXBean withInfo) {
                GcInfo info = withInfo.getLastGcInfo();
                if (info != null && (latest == null || info.getEndTime() > latest.getEndTime())) {
                    latest = info;
                }
            }
        }
        if (latest == null) {
            return Double.NaN;
        }
        return latest.getMemoryUsageAfterGc().entrySet().stream()
                .filter(e -> heapPools.contains(e.getKey()))
                .mapToLong(e -> e.getValue().getUsed()).sum();
    }

    /** Resident set size of this process in bytes, from {@code /proc/self/status}; NaN where there is no such file. */
    public static double residentBytes() {
        try {
            for (String line : Files.readAllLines(PROC_STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    // "VmRSS:     123456 kB"
                    return Long.parseLong(line.substring("VmRSS:".length()).replace("kB", "").trim()) * 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or no procfs: the gauge reads NaN
        }
        return Double.NaN;
    }

    static MemoryUsage heap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    }

    static MemoryUsage nonHeap() {
        return ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
    }
}
