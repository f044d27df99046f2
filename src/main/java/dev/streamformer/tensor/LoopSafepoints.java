package dev.streamformer.tensor;

import com.sun.management.HotSpotDiagnosticMXBean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;

/**
 * Checks the one JVM setting the matrix kernels' speed was found to hang on. With {@code -XX:+UseCountedLoopSafepoints}
 * (the default of G1, ZGC and Shenandoah) HotSpot's C2 strip-mines counted loops; the Parallel and Serial collectors
 * turn it off, and then the register-blocked micro-kernel ({@link Kernels}) ran at 37–42 instead of 59–92 GFLOP per
 * CPU-second on this project's AVX2 machine (one 48 × 384 × 16 panel product, 2026-12-01). The JVM picks the Serial
 * collector by itself on a machine or container with one CPU, so the check logs once, with the fix.
 */
final class LoopSafepoints {

    private static final Logger log = LoggerFactory.getLogger(LoopSafepoints.class);

    private LoopSafepoints() {}

    static void warnIfOff() {
        if (!"false".equals(option("UseCountedLoopSafepoints"))) return;
        log.warn("The Java engine's matrix kernels run about half as fast on this JVM because -XX:-UseCountedLoopSafepoints is in effect "
                + "(the Parallel and Serial collectors' default): run on G1 (-XX:+UseG1GC) or add -XX:+UseCountedLoopSafepoints -XX:LoopStripMiningIter=1000.");
    }

    /** A HotSpot flag's value, or null on a JVM that does not say. */
    static String option(String name) {
        try {
            return ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).getVMOption(name).getValue();
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }
}
