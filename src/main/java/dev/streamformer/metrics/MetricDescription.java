package dev.streamformer.metrics;

import java.util.List;

/**
 * One metric family as the documentation lists it: the name {@code /metrics} exposes, its Prometheus type
 * ({@code counter}, {@code gauge} or {@code histogram}), its label names in the order the code passes their values,
 * its help text and, for a histogram, its bucket upper bounds (without the implicit {@code +Inf}; empty otherwise).
 */
public record MetricDescription(String name, String type, List<String> labelNames, String help, List<Double> buckets) {
    public MetricDescription {
        labelNames = List.copyOf(labelNames);
        buckets = List.copyOf(buckets);
    }
}
