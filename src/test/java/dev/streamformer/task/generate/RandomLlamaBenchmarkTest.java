package dev.streamformer.task.generate;

import dev.streamformer.tensor.SafeTensorsWriter;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The options of {@code bench generate --random-llama}: defaults, sizes checked together, clear refusals. No timing. */
class RandomLlamaBenchmarkTest {

    @Test
    void aBareRandomLlamaRunsTheDefaultModelAgainstEveryPeerAtBatch1And8() {
        var o = RandomLlamaBenchmark.Options.parse(new String[] {"--random-llama"});
        assertEquals(RandomLlama.defaults(), o.model);
        assertTrue(o.model.parameters() > 50_000_000 && o.model.parameters() < 100_000_000, "" + o.model.parameters());
        assertEquals(List.of(1, 8), o.batches);
        assertEquals(List.of(RandomLlamaBenchmark.Engine.values()), o.engines);
        assertFalse(o.jlamaNative);
        assertEquals(Path.of("target", "random-llama", o.model.folderName()), o.dir);
    }

    @Test
    void sizesAreCheckedOnceAllAreKnown() {
        // 512 does not split into the default 12 heads: only the final combination must be valid
        var o = RandomLlamaBenchmark.Options.parse(new String[] {"--random-llama", "--hidden", "512", "--heads", "8",
                "--kv-heads", "4", "--intermediate", "1536", "--untied", "--dtype", "f32", "--engines", "jlama,java-fp32"});
        assertEquals(new RandomLlama(32_000, 512, 8, 8, 4, 1536, false, SafeTensorsWriter.Dtype.F32, 42), o.model);
        assertEquals(List.of(RandomLlamaBenchmark.Engine.JAVA_FP32, RandomLlamaBenchmark.Engine.JLAMA), o.engines);
    }

    @Test
    void refusesWhatItCannotRun() {
        assertThrows(IllegalArgumentException.class, () -> RandomLlamaBenchmark.Options.parse(new String[] {"--random-llama", "--hidden", "500"}));
        assertThrows(IllegalArgumentException.class, () -> RandomLlamaBenchmark.Options.parse(new String[] {"--engines", "llama.cpp"}));
        assertThrows(IllegalArgumentException.class, () -> RandomLlamaBenchmark.Options.parse(new String[] {"--new-tokens", "1"}));
        assertThrows(IllegalArgumentException.class, () -> RandomLlamaBenchmark.Options.parse(new String[] {"--jlama-kernels", "cuda"}));
        var e = assertThrows(IllegalArgumentException.class, () -> RandomLlamaBenchmark.readTexts(Path.of("no-such-prompts.txt"), 8));
        assertTrue(e.getMessage().contains("--prompts"), e.getMessage());
    }
}
