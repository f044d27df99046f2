package dev.streamformer.app;

import picocli.CommandLine.Option;

/** Options of the embed task ({@code embed}, {@code run --task embed}). */
final class EmbedOptions {

    @Option(names = "--prefix", paramLabel = "query|passage|TEXT",
            description = "embed: put the model's query or passage prefix (e.g. 'query: ' for e5-small-v2), or this text, before every text.")
    String prefix;
}
