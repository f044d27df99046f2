package dev.streamformer.app;

import picocli.CommandLine.Option;

/** Options of the embed task ({@code embed}, {@code run --task embed}). */
final class EmbedOptions {

    @Option(names = "--prefix", paramLabel = "query|passage|NAME|TEXT",
            description = "embed: put one of the model's prompts (query, passage, or a name from its config_sentence_transformers.json;"
                    + " e.g. 'query: ' for e5-small-v2), or this text, before every text. Default: the model's default prompt, if it"
                    + " declares one; --prefix '' for none.")
    String prefix;
}
