package dev.streamformer.metrics;

import java.util.List;

/**
 * One exposed value: a sample name (the family name, or it plus {@code _bucket}/{@code _sum}/{@code _count}),
 * its labels in order, and the value.
 */
public record Sample(String name, List<Label> labels, double value) {

    /** A label name and its (unescaped) value. */
    public record Label(String name, String value) {}

    public Sample {
        labels = List.copyOf(labels);
    }
}
