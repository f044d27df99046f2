package dev.streamformer.app;

import picocli.CommandLine.Option;

/** Options of the rerank task ({@code rerank}, {@code run --task rerank}). */
final class RerankOptions {

    @Option(names = "--query", paramLabel = "TEXT",
            description = "rerank: the query of events that carry no 'query' field (each event's 'passages', or its text as the one passage, are ranked for it).")
    String query;
}
