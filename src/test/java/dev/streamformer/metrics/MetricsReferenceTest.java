package dev.streamformer.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class MetricsReferenceTest {

    @Test
    void documentedMetricsTableIsTheGeneratedOne() throws Exception {
        String table = MetricsReference.markdown(new StreamformerMetrics().descriptions());
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

    /** What /metrics exposes, read back by an independent parser, is what the table documents: names, types, help, labels. */
    @Test
    void exposedFamiliesAreTheDocumentedOnes() {
        var metrics = new StreamformerMetrics();
        metrics.recordIn("s");
        metrics.recordOut("s");
        metrics.recordDlq("s", "r");
        metrics.recordBatch("s", 2, 20, 4, 0.01);
        metrics.cacheHit("s");
        metrics.cacheMiss("s");
        metrics.tombstone("s", "passed");
        metrics.formatRetry("s");
        metrics.consumerLag("s", () -> 3);
        metrics.stageUp("s", () -> 1);
        var families = PrometheusTextParser.parse(PrometheusText.write(metrics.registry()));

        var documented = new TreeMap<String, String>();
        var exposed = new TreeMap<String, String>();
        for (MetricDescription d : metrics.descriptions()) {
            documented.put(d.name(), d.type() + " " + new TreeSet<>(d.labelNames()) + " " + d.help());
            var family = families.get(d.name());
            if (family == null) continue;
            var labels = new TreeSet<String>();
            family.series().forEach(s -> labels.addAll(s.labels().keySet()));
            labels.remove("le");
            exposed.put(family.name(), family.type() + " " + labels + " " + family.help());
        }
        assertEquals(documented, exposed);
        for (String name : families.keySet()) {
            if (name.startsWith("streamformer_")) assertTrue(documented.containsKey(name), name + " is exposed but not documented");
        }
    }
}
