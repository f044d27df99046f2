package dev.streamformer.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * A family of histograms with fixed bucket upper bounds. Exposed as cumulative {@code _bucket{le=...}} samples
 * ending with {@code le="+Inf"}, then {@code _sum} and {@code _count}.
 */
public final class HistogramFamily extends MetricFamily<HistogramFamily.Histogram> {

    /** One histogram: per-bucket counts (not cumulative) plus the sum of observations. */
    public static final class Histogram {
        private final double[] upperBounds;
        private final LongAdder[] counts; // [upperBounds.length + 1]: the last one is the +Inf bucket
        private final DoubleAdder sum = new DoubleAdder();

        Histogram(double[] upperBounds) {
            this.upperBounds = upperBounds;
            this.counts = new LongAdder[upperBounds.length + 1];
            for (int i = 0; i < counts.length; i++) counts[i] = new LongAdder();
        }

        public void observe(double value) {
            int bucket = 0;
            while (bucket < upperBounds.length && value > upperBounds[bucket]) bucket++;
            counts[bucket].increment();
            sum.add(value);
        }
    }

    private final double[] upperBounds;

    HistogramFamily(String name, String help, List<String> labelNames, double[] upperBounds) {
        super(name, help, labelNames, values -> new Histogram(upperBounds));
        this.upperBounds = checkBounds(name, upperBounds);
    }

    /** The bucket upper bounds, without the implicit +Inf. */
    public double[] upperBounds() {
        return upperBounds.clone();
    }

    private static double[] checkBounds(String name, double[] bounds) {
        if (bounds.length == 0) {
            throw new IllegalArgumentException("Histogram " + name + " needs at least one bucket bound.");
        }
        for (int i = 0; i < bounds.length; i++) {
            if (!Double.isFinite(bounds[i]) || (i > 0 && bounds[i] <= bounds[i - 1])) {
                throw new IllegalArgumentException("Histogram " + name
                        + " bucket bounds must be finite and strictly increasing; the +Inf bucket is added for you.");
            }
        }
        return bounds.clone();
    }

    @Override
    public MetricType type() {
        return MetricType.HISTOGRAM;
    }

    @Override
    void addSamples(Histogram child, List<Sample.Label> labels, List<Sample> out) {
        long cumulative = 0;
        for (int i = 0; i <= upperBounds.length; i++) {
            cumulative += child.counts[i].sum();
            var withLe = new ArrayList<>(labels);
            String le = i < upperBounds.length ? PrometheusText.formatValue(upperBounds[i]) : "+Inf";
            withLe.add(new Sample.Label("le", le));
            out.add(new Sample(name() + "_bucket", withLe, cumulative));
        }
        out.add(new Sample(name() + "_sum", labels, child.sum.sum()));
        out.add(new Sample(name() + "_count", labels, cumulative));
    }

    /** Bounds {@code start, start*factor, ...} ({@code count} of them), e.g. {@code exponential(1, 2, 9)} = 1..256. */
    public static double[] exponentialBuckets(double start, double factor, int count) {
        double[] bounds = new double[count];
        for (int i = 0; i < count; i++) bounds[i] = start * Math.pow(factor, i);
        return bounds;
    }
}
