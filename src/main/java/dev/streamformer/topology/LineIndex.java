package dev.streamformer.topology;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Where each key of a YAML document is: JSON pointer ({@code /stages/1/task}) → line number. Lets validation
 * errors found after parsing still point at a line.
 */
final class LineIndex {

    private final Map<String, Integer> lines = new HashMap<>();

    LineIndex(String yaml) {
        try (JsonParser p = new YAMLFactory().createParser(yaml)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.FIELD_NAME || t.isScalarValue() || t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    String pointer = p.getParsingContext().pathAsPointer().toString();
                    lines.putIfAbsent(pointer, p.currentTokenLocation().getLineNr());
                }
            }
        } catch (IOException e) {
            // a syntax error is reported by the real parse, with its own location
        }
    }

    /** The line of {@code pointer}, or of its closest parent that has one; 1 when none does. */
    int line(String pointer) {
        for (String p = pointer; ; p = p.substring(0, p.lastIndexOf('/'))) {
            Integer line = lines.get(p);
            if (line != null) return line;
            if (p.isEmpty()) return 1;
        }
    }
}
