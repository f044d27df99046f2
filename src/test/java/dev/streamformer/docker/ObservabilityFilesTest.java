package dev.streamformer.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.streamformer.metrics.MetricDescription;
import dev.streamformer.metrics.MetricsReference;
import dev.streamformer.metrics.StreamformerMetrics;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard and the Prometheus alert rules in docker/: every query names only metrics /metrics exports
 * (the families of {@link StreamformerMetrics}, as {@link MetricsReference} documents them, plus Prometheus' own
 * {@code up}), the rules cover what an operator must hear about, and compose wires both in. With {@code promtool} on
 * the PATH (Debian's prometheus package) the rules are also checked by Prometheus itself.
 */
class ObservabilityFilesTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DOCKER = Path.of("docker");
    /** PromQL words that are not metric names. */
    private static final Set<String> PROMQL_WORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "and", "or", "unless", "bool", "offset", "inf", "nan");

    /** Every sample name /metrics can expose for our own families (histograms as _bucket, _sum, _count), and `up`. */
    static Set<String> exported() {
        var names = new TreeSet<String>(Set.of("up"));
        List<MetricDescription> families = new StreamformerMetrics().descriptions();
        for (MetricDescription f : families) {
            if (f.type().equals("histogram")) {
                names.addAll(List.of(f.name() + "_bucket", f.name() + "_sum", f.name() + "_count"));
            } else {
                names.add(f.name());
            }
        }
        String reference = MetricsReference.markdown(families);
        for (MetricDescription f : families) assertTrue(reference.contains("`" + f.name() + "`"), f.name());
        return names;
    }

    /** The metric names a PromQL expression reads: identifiers outside label matchers, ranges, strings and grouping. */
    static Set<String> metricNames(String expr) {
        String s = expr.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"")     // strings
                .replaceAll("\\{[^}]*}", " ")                              // label matchers
                .replaceAll("\\[[^]]*]", " ")                              // ranges
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
                .replaceAll("\\$\\w+", " ");                               // Grafana variables
        var names = new TreeSet<String>();
        Matcher m = Pattern.compile("(?<![\\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?").matcher(s);
        while (m.find()) {
            if (m.group(2) != null) continue; // a function
            String word = m.group(1);
            if (!PROMQL_WORDS.contains(word.toLowerCase())) names.add(word);
        }
        return names;
    }

    @Test
    void theMetricNameExtractorSeesMetricsOnly() {
        assertEquals(Set.of("a_total", "b_bucket"), metricNames(
                "sum by (stage, le) (rate(a_total{stage=~\"$stage\", x=\"y\"}[5m])) / on (instance) histogram_quantile(0.9, b_bucket) > 1e-9"));
    }

    static List<String> dashboardQueries() throws Exception {
        JsonNode dashboard = JSON.readTree(DOCKER.resolve("grafana/dashboards/streamformer.json").toFile());
        var queries = new ArrayList<String>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) queries.add(target.path("expr").asText());
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            String q = variable.path("query").path("query").asText();
            Matcher m = Pattern.compile("label_values\\(([a-zA-Z_:][a-zA-Z0-9_:]*)").matcher(q);
            if (m.find()) queries.add(m.group(1));
        }
        return queries;
    }

    static List<JsonNode> alertRules() throws Exception {
        JsonNode rules = YAML.readTree(DOCKER.resolve("prometheus/alerts.yml").toFile());
        var out = new ArrayList<JsonNode>();
        rules.path("groups").forEach(g -> g.path("rules").forEach(out::add));
        return out;
    }

    @Test
    void everyDashboardAndAlertQueryNamesAnExportedMetric() throws Exception {
        Set<String> exported = exported();
        var queries = new ArrayList<>(dashboardQueries());
        alertRules().forEach(r -> queries.add(r.path("expr").asText()));
        assertTrue(queries.size() > 15, "queries found: " + queries.size());
        var used = new TreeSet<String>();
        for (String q : queries) {
            Set<String> names = metricNames(q);
            assertFalse(names.isEmpty(), "a query without a metric: " + q);
            for (String name : names) assertTrue(exported.contains(name), name + " is not a metric /metrics exports, in: " + q);
            used.addAll(names);
        }
        // the dashboard shows what the status page charts show
        Set<String> dashboardUses = new TreeSet<>();
        for (String q : dashboardQueries()) dashboardUses.addAll(metricNames(q));
        for (String name : List.of("streamformer_records_in_total", "streamformer_records_out_total", "streamformer_records_dlq_total",
                "streamformer_model_latency_seconds_bucket", "streamformer_batch_size_sum", "streamformer_padding_tokens_total",
                "streamformer_consumer_lag", "streamformer_model_latency_seconds_sum", "streamformer_stage_up")) {
            assertTrue(dashboardUses.contains(name), "the dashboard charts " + name);
        }
    }

    @Test
    void alertsCoverLagDeadLettersHealthAndHeapAndParse() throws Exception {
        var byMetric = new TreeSet<String>();
        for (JsonNode rule : alertRules()) {
            assertFalse(rule.path("alert").asText().isBlank());
            assertTrue(Set.of("warning", "critical").contains(rule.path("labels").path("severity").asText()), rule.toString());
            assertFalse(rule.path("annotations").path("summary").asText().isBlank(), rule.toString());
            assertTrue(rule.path("for").asText().matches("\\d+[smh]"), rule.toString());
            byMetric.addAll(metricNames(rule.path("expr").asText()));
        }
        assertTrue(byMetric.containsAll(List.of("streamformer_consumer_lag", "streamformer_records_dlq_total", "streamformer_stage_up",
                "jvm_memory_heap_after_gc_bytes", "up")), byMetric.toString());

        Path promtool = null;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "promtool"))) promtool = Path.of(dir, "promtool");
        }
        if (promtool != null) {
            Process p = new ProcessBuilder(promtool.toString(), "check", "rules", DOCKER.resolve("prometheus/alerts.yml").toString())
                    .redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), "promtool check rules: " + output);
        }
    }

    @Test
    void composeRunsPrometheusAndGrafanaOnTheseFiles() throws Exception {
        JsonNode compose = YAML.readTree(DOCKER.resolve("compose.yaml").toFile());
        JsonNode services = compose.path("services");
        JsonNode prometheus = services.path("prometheus");
        List<String> volumes = JSON.convertValue(prometheus.path("volumes"), List.class);
        JsonNode config = null;
        for (String v : volumes) {
            String[] parts = v.split(":");
            if (parts[0].startsWith("./")) assertTrue(Files.exists(DOCKER.resolve(parts[0])), v);
            if (parts[1].equals("/etc/prometheus/prometheus.yml")) config = YAML.readTree(DOCKER.resolve(parts[0]).toFile());
        }
        assertTrue(config != null, "prometheus.yml is mounted");
        String ruleFile = config.path("rule_files").get(0).asText();
        assertTrue(volumes.stream().anyMatch(v -> v.endsWith(":" + ruleFile + ":ro") && v.startsWith("./prometheus/alerts.yml")),
                "the alert rules are mounted where prometheus.yml reads them");
        String target = config.path("scrape_configs").get(0).path("static_configs").get(0).path("targets").get(0).asText();
        assertEquals("streamformer:8080", target, "Prometheus scrapes the streamformer service's status server");
        assertTrue(services.has("streamformer"));

        JsonNode grafana = services.path("grafana");
        List<String> grafanaVolumes = JSON.convertValue(grafana.path("volumes"), List.class);
        for (String v : grafanaVolumes) assertTrue(Files.exists(DOCKER.resolve(v.split(":")[0])), v);
        JsonNode datasource = YAML.readTree(DOCKER.resolve("grafana/provisioning/datasources/prometheus.yml").toFile()).path("datasources").get(0);
        assertEquals("http://prometheus:9090", datasource.path("url").asText());
        JsonNode dashboard = JSON.readTree(DOCKER.resolve("grafana/dashboards/streamformer.json").toFile());
        for (JsonNode panel : dashboard.path("panels")) {
            assertEquals(datasource.path("uid").asText(), panel.path("datasource").path("uid").asText(), panel.path("title").asText());
        }
        assertTrue(grafanaVolumes.contains("./grafana/dashboards:/var/lib/grafana/dashboards:ro"));
    }
}
