package dev.streamformer.chat.jinja;

import java.util.HashMap;
import java.util.Map;

/**
 * Variables visible at one point of a template. Each for-loop iteration and each macro call gets a child scope, so a
 * {@code set} there binds a name only until the iteration or call ends; reads fall through to the enclosing scopes.
 */
final class Scope {

    private final Scope parent;
    private final Map<String, Object> variables = new HashMap<>();

    Scope(Scope parent) {
        this.parent = parent;
    }

    /** The value bound to {@code name} here or in an enclosing scope, or an {@link Undefined} naming it. */
    Object lookup(String name) {
        for (Scope s = this; s != null; s = s.parent) {
            Object v = s.variables.get(name);
            if (v != null || s.variables.containsKey(name)) {
                return v;
            }
        }
        return Undefined.variable(name);
    }

    void set(String name, Object value) {
        variables.put(name, value);
    }
}
