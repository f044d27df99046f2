package dev.streamformer.metrics;

import java.util.List;
import java.util.function.DoubleSupplier;

/** A family of gauges: values that go up and down, either set directly or read from a supplier at scrape time. */
public final class GaugeFamily extends MetricFamily<GaugeFamily.Gauge> {

    /** One gauge: holds a value, or reads it from a supplier when one is set. */
    public static final class Gauge {
        private volatile double value;
        private volatile DoubleSupplier supplier;

        public void set(double newValue) {
            this.supplier = null;
            this.value = newValue;
        }

        /** Reads the value from {@code source} at each scrape (e.g. consumer lag). */
        public void setSupplier(DoubleSupplier source) {
            this.supplier = source;
        }

        public double get() {
            DoubleSupplier s = supplier;
            return s != null ? s.getAsDouble() : value;
        }
    }

    GaugeFamily(String name, String help, List<String> labelNames) {
        super(name, help, labelNames, values -> new Gauge());
    }

    @Override
    public MetricType type() {
        return MetricType.GAUGE;
    }

    @Override
    void addSamples(Gauge child, List<Sample.Label> labels, List<Sample> out) {
        out.add(new Sample(name(), labels, child.get()));
    }
}
