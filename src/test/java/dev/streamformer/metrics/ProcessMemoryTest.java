package dev.streamformer.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProcessMemoryTest {

    private static final int MIB = 1 << 20;

    @Test
    void heapAfterGcSeesWhatIsKeptAliveAndWhatIsReleased() {
        byte[][] kept = new byte[96][];
        for (int i = 0; i < kept.length; i++) {
            kept[i] = new byte[MIB];
        }
        System.gc();
        double withBlock = ProcessMemory.heapAfterLastGcBytes();
        assertTrue(withBlock >= 96.0 * MIB, "96 MiB kept alive, heap after GC " + withBlock / MIB + " MiB");
        assertTrue(kept[95].length == MIB); // keeps the block reachable until here
        kept = null;
        System.gc();
        double released = ProcessMemory.heapAfterLastGcBytes();
        assertTrue(withBlock - released >= 90.0 * MIB,
                "96 MiB released: heap after GC went from " + withBlock / MIB + " to " + released / MIB + " MiB");
    }

    @Test
    void residentMemoryAgreesWithPs() throws Exception {
        double ours = ProcessMemory.residentBytes();
        Process ps = new ProcessBuilder("ps", "-o", "rss=", "-p", Long.toString(ProcessHandle.current().pid())).start();
        double fromPs = Long.parseLong(new String(ps.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim()) * 1024.0;
        ps.waitFor();
        // both read the kernel's count at slightly different moments
        assertTrue(Math.abs(ours - fromPs) <= 0.1 * fromPs, "ours " + ours / MIB + " MiB, ps " + fromPs / MIB + " MiB");
        assertTrue(ours > ProcessMemory.heap().getUsed() / 2.0, "RSS covers at least the touched heap");
    }
}
