package dev.streamformer.app;

import picocli.CommandLine.Option;

/** Options of the classify task ({@code classify}, {@code run --task classify}). */
final class ClassifyOptions {

    @Option(names = "--labels", paramLabel = "LABEL=DESCRIPTION,...",
            description = "classify: zero-shot labels, each described in words, e.g. \"sports=a sports story,business=news about business\".")
    String labels;

    @Option(names = "--all-scores", description = "classify: add a 'scores' object with every label's probability (zero-shot: and 'similarities', the cosines).")
    boolean allScores;

    @Option(names = "--threshold", paramLabel = "P",
            description = "classify, multi-label models: labels scoring at least this go into 'labels'. Default: ${DEFAULT-VALUE}.")
    float threshold = 0.5f;

    @Option(names = "--min-score", paramLabel = "S",
            description = "classify: below this best score (a probability, in [0, 1]) the label is 'unknown' (0: never). Default: ${DEFAULT-VALUE}.")
    float minScore = 0f;

    /** Refuses a threshold or minimum score that is not a probability, naming the flag. */
    ClassifyOptions checked() {
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("--threshold " + threshold + " is not a probability: give a value in [0, 1], e.g. --threshold 0.5.");
        }
        if (!(minScore >= 0 && minScore <= 1)) {
            throw new IllegalArgumentException("--min-score " + minScore + " is not a probability: give a value in [0, 1] (0: never 'unknown'),"
                    + " e.g. --min-score 0.6.");
        }
        return this;
    }
}
