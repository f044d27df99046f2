package dev.streamformer.app;

import dev.streamformer.event.EventParser;
import picocli.CommandLine.Option;

/** Options of the commands that read JSON Lines from stdin. */
final class LineOptions {

    @Option(names = "--text-field", defaultValue = "text", description = "The JSON field holding the text. Default: ${DEFAULT-VALUE}.")
    String textField;

    @Option(names = "--max-text-bytes", paramLabel = "N",
            description = "Longest text in UTF-8 bytes, as in the Kafka pipeline; a longer one becomes an error line. Default: ${DEFAULT-VALUE}.")
    int maxTextBytes = EventParser.DEFAULT_MAX_TEXT_BYTES;

    @Option(names = "--fail-fast", description = "Stop at the first bad line with exit code 1 (default: write an error line and go on).")
    boolean failFast;

    @Option(names = "--progress", description = "Show the progress line on stderr even when it is not a terminal.")
    boolean progress;
}
