package dev.streamformer.metrics;

import java.util.List;
import java.util.concurrent.atomic.DoubleAdder;

/** A family of counters: values that only go up (records, tokens, cache hits). */
public final class CounterFamily extends MetricFamily<CounterFamily.Counter> {

    /** One counter: safe to increment from many threads. */
    public static final class Counter {
        private final DoubleAdder value = new DoubleAdder();

        public void inc() {
            value.add(1);
        }

        public void inc(double amount) {
            if (!(amount >= 0)) {
                throw new IllegalArgumentException("A counter only goes up; got an increment of " + amount + ".");
            }
            value.add(amount);
        }

        public double get() {
            return value.sum();
        }
    }

    CounterFamily(String name, String help, List<String> labelNames) {
        super(name, help, labelNames, values -> new Counter());
    }

    @Override
    public MetricType type() {
        return MetricType.COUNTER;
    }

    @Override
    void addSamples(Counter child, List<Sample.Label> labels, List<Sample> out) {
        out.add(new Sample(name(), labels, child.get()));
    }
}
