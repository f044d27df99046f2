package dev.streamformer.metrics;

import java.util.List;

/** A metric family as read at one scrape: name, help text, type and all its samples. */
public record FamilySnapshot(String name, String help, MetricType type, List<Sample> samples) {
    public FamilySnapshot {
        samples = List.copyOf(samples);
    }
}
