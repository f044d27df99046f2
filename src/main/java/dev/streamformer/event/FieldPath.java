package dev.streamformer.event;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Where a field is in an event: a top-level name ({@code text}), a dotted path ({@code payload.body}) or a JSON Pointer
 * ({@code /payload/body}, RFC 6901, for names that hold a dot or a slash). A dotted name that is itself a top-level
 * field ({@code "a.b": ...}) is that field, so existing names keep working.
 */
public final class FieldPath {

    private final String spec;
    private final JsonPointer pointer;

    private FieldPath(String spec, JsonPointer pointer) {
        this.spec = spec;
        this.pointer = pointer;
    }

    /**
     * @throws IllegalArgumentException an empty path, in one sentence with the fix
     */
    public static FieldPath parse(String spec) {
        if (spec.isEmpty()) {
            throw new IllegalArgumentException("The field path is empty: name a field, e.g. text, payload.body or /payload/body.");
        }
        if (spec.startsWith("/")) {
            return new FieldPath(spec, JsonPointer.compile(spec));
        }
        return new FieldPath(spec, JsonPointer.compile("/" + spec.replace("~", "~0").replace("/", "~1").replace(".", "/")));
    }

    /** The field's value in {@code event}, or null when the event has no such field. */
    public JsonNode find(ObjectNode event) {
        JsonNode topLevel = event.get(spec);
        if (topLevel != null) {
            return topLevel;
        }
        JsonNode found = event.at(pointer);
        return found.isMissingNode() ? null : found;
    }

    /** As written, e.g. {@code payload.body}. */
    @Override
    public String toString() {
        return spec;
    }
}
