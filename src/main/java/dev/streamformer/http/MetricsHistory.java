package dev.streamformer.http;

import dev.streamformer.metrics.StreamformerMetrics;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBucket;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The status page's charts: the {@code streamformer_*} metrics of each stage read at a fixed interval, turned into
 * rates and percentiles over the last few readings, and kept for the last {@code capacity} readings only (a ring per
 * stage), so the server's memory stays bounded however long it runs and however fast events flow.
 *
 * <p>Per stage and reading: events/s in, out and to the dead-letter topic; model latency p50/p95/p99 (from the
 * histogram's bucket counts over the window, interpolated within a bucket as Prometheus' {@code histogram_quantile}
 * does); mean records per batch; padding waste ({@code padding / (tokens + padding)}); consumer lag; model time share
 * (seconds in model calls per second of wall time: 1.0 is one thread busy with the model all the time). A value is
 * {@code NaN} (JSON {@code null}) where the window has nothing to say (no batch in it, lag not known yet).
 */
public final class MetricsHistory implements AutoCloseable {

    /** Readings kept per stage: 5 minutes at one a second. */
    public static final int DEFAULT_CAPACITY = 300;
    /** Readings a rate or a percentile spans: 5 s at one a second. */
    public static final int DEFAULT_WINDOW = 5;

    /** The derived series, in the order the API lists them. */
    public static final List<String> SERIES = List.of("in", "out", "dlq", "p50", "p95", "p99", "batchRecords", "paddingWaste",
            "lag", "modelShare");

    private final StreamformerMetrics metrics;
    private final int capacity;
    private final int window;
    private final Map<String, StageHistory> stages = new TreeMap<>();
    private ScheduledExecutorService sampler;

    public MetricsHistory(StreamformerMetrics metrics) {
        this(metrics, DEFAULT_CAPACITY, DEFAULT_WINDOW);
    }

    public MetricsHistory(StreamformerMetrics metrics, int capacity, int window) {
        if (capacity < 2 || window < 1) throw new IllegalArgumentException("capacity must be at least 2 and window at least 1");
        this.metrics = metrics;
        this.capacity = capacity;
        this.window = window;
    }

    /** Reads the metrics every {@code interval} on a daemon thread until {@link #close()}. */
    public synchronized MetricsHistory startSampling(Duration interval) {
        if (sampler != null) return this;
        sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "streamformer-metrics-history");
            t.setDaemon(true);
            return t;
        });
        long ms = Math.max(1, interval.toMillis());
        sampler.scheduleAtFixedRate(() -> {
            try {
                sample(System.currentTimeMillis());
            } catch (RuntimeException e) {
                // a collector that fails once (Kafka metrics during a rebalance) must not stop the charts
            }
        }, 0, ms, TimeUnit.MILLISECONDS);
        return this;
    }

    public int capacity() {
        return capacity;
    }

    public int window() {
        return window;
    }

    /** One reading of every stage at {@code nowMillis} (epoch ms). */
    public void sample(long nowMillis) {
        // the per-stage families only: not the bridged Kafka metrics nor the memory gauges, which the charts do not use
        Map<String, Raw> raw = read(metrics.stageSnapshots());
        synchronized (this) {
            raw.forEach((stage, r) -> stages.computeIfAbsent(stage, s -> new StageHistory()).add(nowMillis, r));
        }
    }

    /**
     * The API's body: {@code {"capacity":..,"window":..,"stages":{"<stage>":{"t":[epoch ms..],"in":[..],...}}}},
     * oldest reading first; NaN as null.
     */
    public synchronized Map<String, Object> toJson() {
        var body = new LinkedHashMap<String, Object>();
        body.put("capacity", capacity);
        body.put("window", window);
        var byStage = new LinkedHashMap<String, Object>();
        stages.forEach((name, h) -> byStage.put(name, h.toJson()));
        body.put("stages", byStage);
        return body;
    }

    @Override
    public synchronized void close() {
        if (sampler != null) sampler.shutdownNow();
        sampler = null;
    }

    /** Cumulative values of one stage at one reading. */
    private static final class Raw {
        double in, out, dlq, tokens, padding, batches, batchRecords, latencySum, lag = Double.NaN;
        final TreeMap<Double, Double> latencyBuckets = new TreeMap<>(); // le -> cumulative count
    }

    private static Map<String, Raw> read(MetricSnapshots families) {
        Map<String, Raw> out = new TreeMap<>();
        for (MetricSnapshot family : families) {
            // the client's base names: counters without _total, histograms without _bucket/_sum/_count
            String name = family.getMetadata().getPrometheusName();
            switch (family) {
                case CounterSnapshot counter -> counter.getDataPoints().forEach(p -> {
                    Raw r = stage(out, p.getLabels().get("stage"));
                    double v = p.getValue();
                    switch (name) {
                        case "streamformer_records_in" -> r.in += v;
                        case "streamformer_records_out" -> r.out += v;
                        case "streamformer_records_dlq" -> r.dlq += v; // summed over reasons
                        case "streamformer_tokens" -> r.tokens += v;
                        case "streamformer_padding_tokens" -> r.padding += v;
                        default -> { }
                    }
                });
                case HistogramSnapshot histogram -> histogram.getDataPoints().forEach(p -> {
                    Raw r = stage(out, p.getLabels().get("stage"));
                    switch (name) {
                        case "streamformer_batch_size" -> {
                            r.batches += p.getCount();
                            r.batchRecords += p.getSum();
                        }
                        case "streamformer_model_latency_seconds" -> {
                            r.latencySum += p.getSum();
                            long cumulative = 0; // the snapshot's bucket counts are per bucket; the charts want them cumulative
                            for (ClassicHistogramBucket b : p.getClassicBuckets()) {
                                cumulative += b.getCount();
                                r.latencyBuckets.merge(b.getUpperBound(), (double) cumulative, Double::sum);
                            }
                        }
                        default -> { }
                    }
                });
                case GaugeSnapshot gauge -> gauge.getDataPoints().forEach(p -> {
                    if (name.equals("streamformer_consumer_lag")) stage(out, p.getLabels().get("stage")).lag = p.getValue();
                });
                default -> { }
            }
        }
        return out;
    }

    private static Raw stage(Map<String, Raw> byStage, String stage) {
        return byStage.computeIfAbsent(stage, k -> new Raw());
    }

    private final class StageHistory {
        private final ArrayDeque<Long> times = new ArrayDeque<>(); // with raws: the last window + 1 readings
        private final ArrayDeque<Raw> raws = new ArrayDeque<>();
        private final ArrayDeque<Long> pointTimes = new ArrayDeque<>();
        private final ArrayDeque<double[]> points = new ArrayDeque<>();

        void add(long now, Raw r) {
            times.addLast(now);
            raws.addLast(r);
            while (raws.size() > window + 1) {
                raws.removeFirst();
                times.removeFirst();
            }
            pointTimes.addLast(now);
            points.addLast(derive(times.getFirst(), raws.getFirst(), now, r));
            while (points.size() > capacity) {
                points.removeFirst();
                pointTimes.removeFirst();
            }
        }

        /** The series over the window from {@code (t0, a)} to {@code (t1, b)}; the first reading has rates NaN. */
        private double[] derive(long t0, Raw a, long t1, Raw b) {
            double[] p = new double[SERIES.size()];
            java.util.Arrays.fill(p, Double.NaN);
            double seconds = (t1 - t0) / 1000.0;
            if (seconds > 0) {
                p[0] = Math.max(0, b.in - a.in) / seconds;
                p[1] = Math.max(0, b.out - a.out) / seconds;
                p[2] = Math.max(0, b.dlq - a.dlq) / seconds;
                double batches = b.batches - a.batches;
                if (batches > 0) {
                    p[3] = quantile(0.50, a, b) * 1000;
                    p[4] = quantile(0.95, a, b) * 1000;
                    p[5] = quantile(0.99, a, b) * 1000;
                    p[6] = (b.batchRecords - a.batchRecords) / batches;
                    double tokens = b.tokens - a.tokens, padding = b.padding - a.padding;
                    if (tokens + padding > 0) p[7] = padding / (tokens + padding);
                }
                p[9] = Math.max(0, b.latencySum - a.latencySum) / seconds;
            }
            p[8] = b.lag;
            return p;
        }

        Map<String, Object> toJson() {
            var body = new LinkedHashMap<String, Object>();
            body.put("t", new ArrayList<>(pointTimes));
            for (int s = 0; s < SERIES.size(); s++) {
                var values = new ArrayList<Double>(points.size());
                for (Iterator<double[]> it = points.iterator(); it.hasNext(); ) {
                    double v = it.next()[s];
                    values.add(Double.isFinite(v) ? round(v) : null);
                }
                body.put(SERIES.get(s), values);
            }
            return body;
        }
    }

    private static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }

    /**
     * The q-quantile of the observations between two readings of a cumulative histogram, as Prometheus'
     * {@code histogram_quantile}: linear within the bucket, the highest finite bound for the +Inf bucket.
     */
    static double quantile(double q, Raw a, Raw b) {
        var bounds = new ArrayList<Double>(b.latencyBuckets.keySet());
        double[] counts = new double[bounds.size()];
        for (int i = 0; i < counts.length; i++) {
            double le = bounds.get(i);
            counts[i] = b.latencyBuckets.get(le) - a.latencyBuckets.getOrDefault(le, 0.0);
        }
        if (counts.length == 0) return Double.NaN;
        double total = counts[counts.length - 1];
        if (total <= 0) return Double.NaN;
        double rank = q * total;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] >= rank) {
                double upper = bounds.get(i);
                double lower = i == 0 ? 0 : bounds.get(i - 1);
                if (Double.isInfinite(upper)) return lower;
                double below = i == 0 ? 0 : counts[i - 1];
                double inBucket = counts[i] - below;
                return inBucket <= 0 ? upper : lower + (upper - lower) * (rank - below) / inBucket;
            }
        }
        return bounds.get(bounds.size() - 1);
    }
}
