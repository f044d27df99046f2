package dev.streamformer.schema;

import java.util.Map;

/**
 * What a binary schema format (Avro, Protobuf) writes: by default a record of the evolved schema, or with
 * {@code outputFormat json} (topology file) / {@code --output-format json} the enriched event as JSON, for consumers
 * that do not read the producer's schema.
 */
final class BinaryOutput {

    private static final String OUTPUT_FORMAT = "outputFormat";

    private BinaryOutput() {}

    /** Whether the stage asks for JSON output; a value other than the format's own name or json is refused in one sentence. */
    static boolean json(Map<String, String> settings, String format) {
        String output = settings.get(OUTPUT_FORMAT);
        if (output == null || output.equals(format)) return false;
        if (output.equals("json")) return true;
        throw new IllegalArgumentException("Output format '" + output + "' does not fit --value-format " + format
                + ": leave it out (a record of the evolved " + format + " schema) or give json (--output-format json;"
                + " topology file: outputFormat).");
    }
}
