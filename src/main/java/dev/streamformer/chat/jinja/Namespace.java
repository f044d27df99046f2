package dev.streamformer.chat.jinja;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code namespace(a=1)} makes: a mutable bag of attributes. A {@code set} inside a loop only binds a name for
 * that iteration; {@code {% set ns.a = 2 %}} changes the namespace itself, so the value survives the loop.
 */
final class Namespace {

    private final Map<String, Object> attributes = new LinkedHashMap<>();

    Object get(String name) {
        return attributes.containsKey(name) ? attributes.get(name) : Undefined.attribute(this, name);
    }

    void set(String name, Object value) {
        attributes.put(name, value);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("<Namespace {");
        attributes.forEach((k, v) -> s.append(s.length() > 12 ? ", " : "").append(PyStrings.repr(k)).append(": ").append(Values.repr(v)));
        return s.append("}>").toString();
    }
}
