package dev.streamformer.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MetricsReferenceTest {

    @Test
    void documentedMetricsTableIsTheGeneratedOne() throws Exception {
        String table = MetricsReference.markdown(new StreamformerMetrics(new MetricsRegistry()).registry());
        Path doc = Path.of("docker/README.md");
        assertTrue(Files.isRegularFile(doc), "run from the repository root: " + doc + " not found");
        assertTrue(Files.readString(doc).contains(table),
                doc + " has a stale metrics table; replace it with MetricsReference.markdown(...):\n" + table);
        for (String name : new String[] {"streamformer_records_in_total", "streamformer_records_dlq_total", "streamformer_batch_size",
                "streamformer_batch_tokens", "streamformer_model_latency_seconds", "streamformer_tokens_total",
                "streamformer_consumer_lag", "streamformer_cache_hits_total", "streamformer_cache_misses_total"}) {
            assertTrue(table.contains("`" + name + "`"), name);
        }
    }
}
