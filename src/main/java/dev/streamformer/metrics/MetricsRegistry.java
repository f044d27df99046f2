package dev.streamformer.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Holds the metric families of one process and any extra {@link Collector}s (bridges). Families are created
 * once, at start-up; their children (one per label combination) are created on first use and are thread-safe.
 */
public final class MetricsRegistry {
    private final List<Collector> collectors = new CopyOnWriteArrayList<>();
    private final List<MetricFamily<?>> families = new CopyOnWriteArrayList<>();

    public CounterFamily counter(String name, String help, String... labelNames) {
        return add(new CounterFamily(name, help, List.of(labelNames)));
    }

    public GaugeFamily gauge(String name, String help, String... labelNames) {
        return add(new GaugeFamily(name, help, List.of(labelNames)));
    }

    public HistogramFamily histogram(String name, String help, double[] upperBounds, String... labelNames) {
        return add(new HistogramFamily(name, help, List.of(labelNames), Arrays.copyOf(upperBounds, upperBounds.length)));
    }

    /** Adds a collector read at each scrape (e.g. {@link KafkaMetricsBridge}); its families are not checked for clashes. */
    public void register(Collector collector) {
        collectors.add(collector);
    }

    /** The families registered here (not those of bridges), in registration order, with or without samples. */
    public List<MetricFamily<?>> families() {
        return List.copyOf(families);
    }

    /** Every family with at least one sample, in registration order. */
    public List<FamilySnapshot> collect() {
        var out = new ArrayList<FamilySnapshot>();
        for (Collector c : collectors) {
            for (FamilySnapshot f : c.collect()) {
                if (!f.samples().isEmpty()) out.add(f);
            }
        }
        return out;
    }

    private synchronized <F extends MetricFamily<?>> F add(F family) {
        if (families.stream().anyMatch(f -> f.name().equals(family.name()))) {
            throw new IllegalArgumentException("A metric named " + family.name() + " is already registered.");
        }
        families.add(family);
        collectors.add(family);
        return family;
    }
}
