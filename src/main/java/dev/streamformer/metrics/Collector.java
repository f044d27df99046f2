package dev.streamformer.metrics;

import java.util.List;

/** Anything that can be read at scrape time as metric families: the registry's own families, or a bridge. */
@FunctionalInterface
public interface Collector {
    List<FamilySnapshot> collect();
}
