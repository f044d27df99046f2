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
    private final java.util.Set<String> keys = new java.util.HashSet<>();
    private final Map<String, Integer> duplicates = new java.util.LinkedHashMap<>();

    LineIndex(String yaml) {
        try (JsonParser p = new YAMLFactory().createParser(yaml)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.FIELD_NAME || t.isScalarValue() || t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    String pointer = p.getParsingContext().pathAsPointer().toString();
                    int line = p.currentTokenLocation().getLineNr();
                    if (t == JsonToken.FIELD_NAME && !keys.add(pointer)) duplicates.put(pointer, line);
                    lines.putIfAbsent(pointer, line);
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

    /** Keys given twice in one mapping: pointer → line of the repeat (YAML parsers keep the last, silently). */
    Map<String, Integer> duplicates() { return duplicates; }
}
