package dev.streamformer.app;

import dev.streamformer.event.EventParser;
import dev.streamformer.event.ValueFormat;
import dev.streamformer.event.ValueFormats;
import picocli.CommandLine.Option;

import java.util.Map;

/** Options of the commands that read JSON Lines from stdin. */
final class LineOptions {

    @Option(names = "--text-field", defaultValue = "text", description = "The JSON field holding the text. Default: ${DEFAULT-VALUE}.")
    String textField;

    @Option(names = "--max-text-bytes", paramLabel = "N",
            description = "Longest text in UTF-8 bytes, as in the Kafka pipeline; a longer one becomes an error line. Default: ${DEFAULT-VALUE}.")
    int maxTextBytes = EventParser.DEFAULT_MAX_TEXT_BYTES;

    @Option(names = "--value-format", paramLabel = "json|text", defaultValue = "json",
            description = "json: a line starting with '{' is a JSON object, any other line its text; text: every line is the text. Default: ${DEFAULT-VALUE}.")
    String valueFormat;

    @Option(names = "--output-format", paramLabel = "json|text",
            description = "With --value-format text: write JSON lines (default), or text (the generated text alone).")
    String outputFormat;

    /** The format the options name, checked: an unknown name is refused in one sentence. */
    ValueFormat format() {
        return ValueFormats.create(valueFormat, outputFormat == null ? Map.of() : Map.of("outputFormat", outputFormat));
    }

    @Option(names = "--fail-fast", description = "Stop at the first bad line with exit code 1 (default: write an error line and go on).")
    boolean failFast;

    @Option(names = "--progress", description = "Show the progress line on stderr even when it is not a terminal.")
    boolean progress;
}
