package dev.streamformer.app;

import picocli.CommandLine.Option;

/** Options of the entities task ({@code entities}, {@code run --task entities}). */
final class EntitiesOptions {

    @Option(names = "--aggregation", paramLabel = "simple|first",
            description = "entities: group token labels as Hugging Face's token-classification pipeline does: simple (each token its"
                    + " best label) or first (a word takes its first token's label). Default: simple.")
    String aggregation;
}
