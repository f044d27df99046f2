package dev.streamformer.streams;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.streamformer.app.Main;
import dev.streamformer.broker.EmbeddedKafkaBroker;
import dev.streamformer.broker.QuietKafkaLogs;
import dev.streamformer.metrics.PrometheusTextParser;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Overload on a real broker: events are produced far faster than the model can embed them, for a fixed time, while
 * the real {@code streamformer run} (all-minilm-l6-v2 on ONNX Runtime) works in its own JVM with a small heap. The
 * backlog must stay in Kafka, not in the pipeline's memory: Kafka Streams buffers at most
 * {@code buffered.records.per.partition} records per partition and the batch processor holds one batch per task.
 *
 * <p>Every {@value #SAMPLE_SECONDS} s the test reads the pipeline's own {@code /metrics} (heap in use, heap after the
 * last collection, resident memory, records written, consumer lag), then forces a full collection with {@code jcmd
 * <pid> GC.run} and reads the heap again: that second figure is the live heap, what the pipeline really keeps. The
 * samples go to {@code target/overload.csv}. Checks: the pipeline lives and keeps writing to the end; it really was
 * overloaded (most of what was produced is still waiting); the live heap in the last third of the run is on average
 * no higher than in the first third plus {@value #GROWTH_ALLOWANCE_MIB} MiB (a heap that held the backlog would grow by
 * its ≈40 MiB at CI size), and always below half of {@code -Xmx}.
 *
 * <p>CI runs 60 s. The documented run: {@code ./mvnw verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false
 * -Dit.test=OverloadIT -Dstreamformer.overload.seconds=300}. Other knobs: {@code streamformer.overload.rate}
 * (events/s, default 1000), {@code streamformer.overload.heapMb} (default 256), {@code streamformer.overload.config}
 * (comma-separated Kafka settings for the pipeline).
 */
class OverloadIT {

    private static final Logger log = LoggerFactory.getLogger(OverloadIT.class);
    private static final int SAMPLE_SECONDS = 10;
    private static final int GROWTH_ALLOWANCE_MIB = 16;
    private static final double MIB = 1 << 20;

    /** One reading of the pipeline's metrics. */
    record Sample(double seconds, long produced, double recordsOut, double lag, double heapUsed, double heapAfterGc,
                  double liveHeap, double heapCommitted, double nonHeapUsed, double resident) {
        String csv() {
            return String.format(java.util.Locale.ROOT, "%.1f,%d,%.0f,%.0f,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f", seconds, produced, recordsOut,
                    lag, heapUsed / MIB, heapAfterGc / MIB, liveHeap / MIB, heapCommitted / MIB, nonHeapUsed / MIB, resident / MIB);
        }
    }

    @Test
    void aBacklogStaysInKafkaAndTheHeapStaysFlat(@TempDir Path brokerDir, @TempDir Path stateDir) throws Exception {
        QuietKafkaLogs.apply();
        int seconds = Integer.getInteger("streamformer.overload.seconds", 60);
        int rate = Integer.getInteger("streamformer.overload.rate", 1000);
        int heapMb = Integer.getInteger("streamformer.overload.heapMb", 256);
        List<String> texts = longTexts(Path.of("..", "shared", "data", "sst2", "train.tsv"));

        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, brokerDir);
        Process pipeline = null;
        var producing = new AtomicBoolean(true);
        var produced = new AtomicLong();
        var producedBytes = new AtomicLong();
        Thread producer = null;
        try {
            broker.createTopics(4, "overload-in", "overload-out", "overload-in.dlq");
            int httpPort = KafkaTestSupport.freePort();
            Path pipelineLog = Path.of("target", "overload-pipeline.log");
            pipeline = startPipeline(pipelineLog, heapMb, broker.bootstrapServers(), httpPort, stateDir);
            var metricsUri = URI.create("http://127.0.0.1:" + httpPort + "/metrics");
            var http = HttpClient.newHttpClient();
            KafkaTestSupport.await(() -> scrape(http, metricsUri) != null, Duration.ofSeconds(120), "the pipeline's /metrics");

            producer = Thread.ofPlatform().name("overload-producer").start(() ->
                    produce(broker.bootstrapServers(), texts, rate, producing, produced, producedBytes));
            long start = System.nanoTime();
            var samples = new ArrayList<Sample>();
            Path csv = Path.of("target", "overload.csv");
            Files.writeString(csv, "seconds,produced,records_out,lag,heap_used_mib,heap_after_gc_mib,live_heap_mib,heap_committed_mib,nonheap_used_mib,resident_mib\n");
            while (System.nanoTime() - start < seconds * 1_000_000_000L) {
                Thread.sleep(SAMPLE_SECONDS * 1000L);
                assertTrue(pipeline.isAlive(), "the pipeline died under overload; see " + pipelineLog);
                assertTrue(producer.isAlive(), "the producer stopped early");
                Sample sample = sample(http, metricsUri, pipeline.pid(), (System.nanoTime() - start) / 1e9, produced.get());
                samples.add(sample);
                Files.writeString(csv, sample.csv() + "\n", java.nio.file.StandardOpenOption.APPEND);
                log.info("overload {} s: produced {}, written {}, lag {}, heap {} MiB (after GC {}, live {}), RSS {} MiB",
                        Math.round(sample.seconds()), sample.produced(), Math.round(sample.recordsOut()), Math.round(sample.lag()),
                        mib(sample.heapUsed()), mib(sample.heapAfterGc()), mib(sample.liveHeap()), mib(sample.resident()));
            }
            producing.set(false);
            producer.join();
            report(samples, producedBytes.get(), heapMb);

            int third = samples.size() / 3;
            assertTrue(third >= 1, "too few samples (" + samples.size() + "); run for at least " + 3 * SAMPLE_SECONDS + " s");
            Sample last = samples.getLast();
            Sample endOfFirstThird = samples.get(third - 1);
            assertTrue(last.recordsOut() > samples.get(samples.size() - 1 - third).recordsOut(),
                    "the pipeline stopped writing in the last third of the run");
            assertTrue(last.produced() - last.recordsOut() > last.produced() / 2.0,
                    "not overloaded: " + Math.round(last.recordsOut()) + " of " + last.produced() + " written; raise streamformer.overload.rate");
            // the lag is read from Kafka at the scrape (or, if Kafka was slow to answer, at the scrape before): it must lie
            // between the backlog of the sample before and this one's plus a second of production
            double backlog = last.produced() - last.recordsOut();
            Sample before = samples.get(samples.size() - 2);
            double backlogBefore = before.produced() - before.recordsOut();
            assertTrue(last.lag() >= 0.95 * backlogBefore && last.lag() <= backlog + rate, String.format(
                    "/metrics says the lag is %.0f, but %d were produced and %.0f written (%.0f waiting 10 s earlier)",
                    last.lag(), last.produced(), last.recordsOut(), backlogBefore));
            // means, not maxima: one sample can catch a batch in flight or a fresh fetch (≈10 MiB either way)
            double firstThirdLive = samples.subList(0, third).stream().mapToDouble(Sample::liveHeap).average().orElseThrow();
            double lastThirdLive = samples.subList(samples.size() - third, samples.size()).stream().mapToDouble(Sample::liveHeap).average().orElseThrow();
            assertTrue(lastThirdLive <= firstThirdLive + GROWTH_ALLOWANCE_MIB * MIB, String.format(
                    "the live heap grew under overload: %.1f MiB on average in the first third, %.1f MiB in the last (backlog %d → %d)",
                    firstThirdLive / MIB, lastThirdLive / MIB, Math.round(endOfFirstThird.lag()), Math.round(last.lag())));
            double maxLive = samples.stream().mapToDouble(Sample::liveHeap).max().orElseThrow();
            assertTrue(maxLive < heapMb * MIB / 2, String.format("live heap %.1f MiB, over half of -Xmx%dm", maxLive / MIB, heapMb));
        } finally {
            producing.set(false);
            if (producer != null) producer.join();
            if (pipeline != null) PipelineProcesses.kill(pipeline);
            broker.close();
        }
    }

    private static void report(List<Sample> samples, long producedBytes, int heapMb) {
        Sample last = samples.getLast();
        log.info(String.format(java.util.Locale.ROOT, "overload run: %.0f s, %d events (%.0f MiB) produced, %.0f written, backlog %.0f;"
                        + " -Xmx%dm: heap in use ≤ %.1f MiB, after GC ≤ %.1f MiB, live ≤ %.1f MiB (first sample %.1f, last %.1f);"
                        + " heap committed ≤ %.1f MiB, nonheap ≤ %.1f MiB; RSS ≤ %.1f MiB (first %.1f, last %.1f); samples in target/overload.csv",
                last.seconds(), last.produced(), producedBytes / MIB, last.recordsOut(), last.lag(), heapMb,
                max(samples, Sample::heapUsed), max(samples, Sample::heapAfterGc), max(samples, Sample::liveHeap),
                samples.getFirst().liveHeap() / MIB, last.liveHeap() / MIB,
                max(samples, Sample::heapCommitted), max(samples, Sample::nonHeapUsed),
                max(samples, Sample::resident), samples.getFirst().resident() / MIB, last.resident() / MIB));
    }

    private static double max(List<Sample> samples, java.util.function.ToDoubleFunction<Sample> field) {
        return samples.stream().mapToDouble(field).max().orElseThrow() / MIB;
    }

    private static String mib(double bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f", bytes / MIB);
    }

    /** The natural figures first, then the live heap after a forced full collection. */
    private static Sample sample(HttpClient http, URI metricsUri, long pid, double seconds, long produced) throws Exception {
        Map<String, PrometheusTextParser.Family> before = scrape(http, metricsUri);
        assertTrue(before != null, "/metrics did not answer");
        Process gc = new ProcessBuilder(jcmd(), Long.toString(pid), "GC.run").redirectErrorStream(true).start();
        String gcOutput = new String(gc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(gc.waitFor() == 0, "jcmd GC.run failed: " + gcOutput);
        Map<String, PrometheusTextParser.Family> after = scrape(http, metricsUri);
        assertTrue(after != null, "/metrics did not answer");
        return new Sample(seconds, produced, sum(before, "streamformer_records_out_total"), sum(before, "streamformer_consumer_lag"),
                area(before, "jvm_memory_used_bytes", "heap"), sum(before, "jvm_memory_heap_after_gc_bytes"),
                sum(after, "jvm_memory_heap_after_gc_bytes"), area(before, "jvm_memory_committed_bytes", "heap"),
                area(before, "jvm_memory_used_bytes", "nonheap"), sum(before, "process_resident_memory_bytes"));
    }

    private static double sum(Map<String, PrometheusTextParser.Family> families, String name) {
        var family = families.get(name);
        assertTrue(family != null, "no " + name + " in /metrics");
        return family.series().stream().mapToDouble(PrometheusTextParser.Series::value).sum();
    }

    private static double area(Map<String, PrometheusTextParser.Family> families, String name, String area) {
        return families.get(name).series().stream().filter(s -> area.equals(s.labels().get("area")))
                .mapToDouble(PrometheusTextParser.Series::value).findFirst().orElseThrow();
    }

    /** The parsed metrics, or null while the server does not answer yet. */
    private static Map<String, PrometheusTextParser.Family> scrape(HttpClient http, URI uri) {
        try {
            var response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? PrometheusTextParser.parse(response.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Produces events at {@code rate} per second until told to stop. */
    private static void produce(String bootstrap, List<String> texts, int rate, AtomicBoolean producing, AtomicLong produced,
                                AtomicLong producedBytes) {
        var config = Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.LINGER_MS_CONFIG, 20);
        try (var kafka = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            long start = System.nanoTime();
            for (long i = 0; producing.get(); i++) {
                long due = start + i * 1_000_000_000L / rate;
                long wait = due - System.nanoTime();
                if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                byte[] value = JsonNodeFactory.instance.objectNode().put("id", "o" + i).put("text", texts.get((int) (i % texts.size())))
                        .toString().getBytes(StandardCharsets.UTF_8);
                kafka.send(new ProducerRecord<>("overload-in", value));
                produced.incrementAndGet();
                producedBytes.addAndGet(value.length);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SST-2 training sentences joined into texts of about 1,000 characters: each one fills the model's 256 tokens. */
    private static List<String> longTexts(Path train) throws IOException {
        assertTrue(Files.exists(train), "needs " + train + " (the shared data folder next to the project)");
        var texts = new ArrayList<String>();
        var text = new StringBuilder();
        for (String line : Files.readAllLines(train).subList(1, 20_001)) {
            text.append(line.split("\t")[0].strip()).append(". ");
            if (text.length() >= 1000) {
                texts.add(text.toString());
                text.setLength(0);
            }
        }
        return texts;
    }

    /** {@code streamformer run} in its own JVM, as the launcher starts it, with a small heap. */
    private static Process startPipeline(Path log, int heapMb, String bootstrap, int httpPort, Path stateDir) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        var command = new ArrayList<>(List.of(java, "-Xmx" + heapMb + "m", "-XX:+UseParallelGC", "--add-modules", "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED", "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "run", "--model", "all-minilm-l6-v2",
                "--input-topic", "overload-in", "--output-topic", "overload-out", "--http-port", Integer.toString(httpPort),
                "-b", bootstrap, "--config", "application.id=it-overload", "--config", "state.dir=" + stateDir));
        // to see what a setting does to memory, e.g. -Dstreamformer.overload.config=buffered.records.per.partition=10000000
        // (measured: the live heap stayed flat even with that one)
        for (String setting : System.getProperty("streamformer.overload.config", "").split(",")) {
            if (!setting.isBlank()) command.addAll(List.of("--config", setting.strip()));
        }
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static String jcmd() {
        String java = ProcessHandle.current().info().command().orElseThrow();
        return Path.of(java).resolveSibling("jcmd").toString();
    }
}
