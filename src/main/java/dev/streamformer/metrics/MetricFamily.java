package dev.streamformer.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A named metric with a fixed list of label names; one child per combination of label values.
 *
 * @param <C> the child type (a counter, a gauge or a histogram)
 */
public abstract sealed class MetricFamily<C> implements Collector
        permits CounterFamily, GaugeFamily, HistogramFamily {

    private final String name;
    private final String help;
    private final List<String> labelNames;
    private final Map<List<String>, C> children = new ConcurrentHashMap<>();
    private final Function<List<String>, C> newChild;

    MetricFamily(String name, String help, List<String> labelNames, Function<List<String>, C> newChild) {
        this.name = MetricNames.requireMetricName(name);
        this.help = help;
        this.labelNames = List.copyOf(labelNames);
        this.labelNames.forEach(MetricNames::requireLabelName);
        this.newChild = newChild;
    }

    public String name() {
        return name;
    }

    public String help() {
        return help;
    }

    public List<String> labelNames() {
        return labelNames;
    }

    /** The child for these label values (in the order of {@link #labelNames()}), created on first use. */
    public C labels(String... values) {
        if (values.length != labelNames.size()) {
            throw new IllegalArgumentException("Metric " + name + " takes labels " + labelNames
                    + " but got " + values.length + " value(s): " + Arrays.toString(values) + ".");
        }
        for (String v : values) {
            if (v == null) {
                throw new IllegalArgumentException("Metric " + name + ": label values must not be null.");
            }
        }
        return children.computeIfAbsent(List.of(values), newChild);
    }

    public abstract MetricType type();

    /** The samples of one child, with the child's labels already built. */
    abstract void addSamples(C child, List<Sample.Label> labels, List<Sample> out);

    @Override
    public List<FamilySnapshot> collect() {
        var samples = new ArrayList<Sample>();
        children.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(MetricFamily::compareLabelValues))
                .forEach(e -> addSamples(e.getValue(), labelsOf(e.getKey()), samples));
        return List.of(new FamilySnapshot(name, help, type(), samples));
    }

    private List<Sample.Label> labelsOf(List<String> values) {
        var labels = new ArrayList<Sample.Label>(values.size());
        for (int i = 0; i < values.size(); i++) {
            labels.add(new Sample.Label(labelNames.get(i), values.get(i)));
        }
        return labels;
    }

    private static int compareLabelValues(List<String> a, List<String> b) {
        for (int i = 0; i < a.size(); i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) return c;
        }
        return 0;
    }
}
