package dev.streamformer.app;

import picocli.CommandLine.Option;

/** Options of the classify task ({@code classify}, {@code run --task classify}). */
final class ClassifyOptions {

    @Option(names = "--labels", paramLabel = "LABEL=DESCRIPTION,...",
            description = "classify: zero-shot labels, each described in words, e.g. \"sports=a sports story,business=news about business\".")
    String labels;

    @Option(names = "--all-scores", description = "classify: add a 'scores' object with every label's score.")
    boolean allScores;

    @Option(names = "--threshold", paramLabel = "P",
            description = "classify, multi-label models: labels scoring at least this go into 'labels'. Default: ${DEFAULT-VALUE}.")
    float threshold = 0.5f;

    @Option(names = "--min-score", paramLabel = "S",
            description = "classify: below this best score the label is 'unknown' (0: never). Default: ${DEFAULT-VALUE}.")
    float minScore = 0f;
}
