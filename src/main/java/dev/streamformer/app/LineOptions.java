package dev.streamformer.app;

import dev.streamformer.event.Enrichment;
import dev.streamformer.event.EventParser;
import dev.streamformer.event.VectorEncoding;
import dev.streamformer.event.ValueFormat;
import dev.streamformer.event.ValueFormats;
import picocli.CommandLine.Option;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Options of the commands that read JSON Lines from stdin. */
final class LineOptions {

    @Option(names = "--text-field", defaultValue = "text", description = "The JSON field holding the text. Default: ${DEFAULT-VALUE}.")
    String textField = EventParser.DEFAULT_TEXT_FIELD;

    @Option(names = "--max-text-bytes", paramLabel = "N",
            description = "Longest text in UTF-8 bytes, as in the Kafka pipeline; a longer one becomes an error line. Default: ${DEFAULT-VALUE}.")
    int maxTextBytes = EventParser.DEFAULT_MAX_TEXT_BYTES;

    @Option(names = "--value-format", paramLabel = "json|text|json-schema", defaultValue = "json",
            description = "json: a line starting with '{' is a JSON object, any other line its text; text: every line is the text; json-schema: a JSON object checked against --schema-file. Default: ${DEFAULT-VALUE}.")
    String valueFormat = "json";

    @Option(names = "--schema-file", paramLabel = "FILE",
            description = "With --value-format json-schema: the JSON Schema each line must match (else an error line, schema-mismatch).")
    String schemaFile;

    @Option(names = "--output-format", paramLabel = "json|text",
            description = "With --value-format text: write JSON lines (default), or text (the generated text alone).")
    String outputFormat;

    @Option(names = "--text-template", paramLabel = "TEMPLATE",
            description = "The text made from several fields instead of --text-field, e.g. \"{title}\\n\\n{body}\"; a missing field is an error line (missing-field).")
    String textTemplate;

    @Option(names = "--output-field", paramLabel = "FIELD", description = "Put the result (and model) into this one field instead of next to the input fields.")
    String outputField;

    @Option(names = "--drop-input-fields", description = "Write the result alone, without the input fields (default: keep them).")
    boolean dropInputFields;

    @Option(names = "--vector-encoding", paramLabel = "json|base64-f32|base64-f16|int8", defaultValue = "json",
            description = "embed: the embedding as a JSON array, or base64 of little-endian float32, float16 or int8 (with embedding_scale). Default: ${DEFAULT-VALUE}.")
    String vectorEncoding = "json";

    @Option(names = "--dimensions", paramLabel = "N", defaultValue = "0",
            description = "embed: keep the first N numbers of the embedding and scale it back to length 1 (Matryoshka models); 0: all. Default: ${DEFAULT-VALUE}.")
    int dimensions;

    /** Where the result goes and how embeddings are written. */
    Enrichment enrichment() {
        return new Enrichment(outputField, null, dropInputFields, new VectorEncoding(VectorEncoding.Kind.parse(vectorEncoding), dimensions));
    }

    /** The format the options name, checked: an unknown name is refused in one sentence. */
    ValueFormat format() {
        if (BINARY_FORMATS.contains(valueFormat)) {
            throw new IllegalArgumentException("--value-format " + valueFormat + " reads binary Kafka record values, which lines"
                    + " cannot carry: run it on a topic (streamformer run), or give JSON lines (--value-format json or json-schema).");
        }
        Map<String, String> settings = new HashMap<>();
        if (outputFormat != null) settings.put("outputFormat", outputFormat);
        if (schemaFile != null) settings.put("schemaFile", schemaFile);
        return ValueFormats.create(valueFormat, settings);
    }

    /** Formats whose values are binary records: a line of text is never one. */
    private static final List<String> BINARY_FORMATS = List.of("avro", "protobuf");

    @Option(names = "--fail-fast", description = "Stop at the first bad line with exit code 1 (default: write an error line and go on).")
    boolean failFast;

    @Option(names = "--progress", description = "Show the progress line on stderr even when it is not a terminal.")
    boolean progress;
}
