package dev.streamformer.chat.jinja;

import java.util.List;
import java.util.Map;

/**
 * The arguments of a filter, test or method call, read the way Python binds them: each parameter by position or by
 * name, with a default when absent.
 */
record Arguments(String function, List<Object> positional, Map<String, Object> keywords) {

    /**
     * Parameter {@code index} (0 = first after the value a filter or method applies to; -1 = keyword only), or
     * {@code name}, or {@code fallback}.
     */
    Object get(int index, String name, Object fallback) {
        if (index >= 0 && index < positional.size()) {
            return positional.get(index);
        }
        return keywords.containsKey(name) ? keywords.get(name) : fallback;
    }

    String string(int index, String name, String fallback) {
        Object v = get(index, name, fallback);
        if (v != null && !(v instanceof String)) {
            throw new TemplateRenderException(function + "() argument '" + name + "' must be str or None, not "
                    + Values.typeName(v));
        }
        return (String) v;
    }

    long integer(int index, String name, long fallback) {
        Object v = get(index, name, fallback);
        if (!Values.isIntegral(v)) {
            throw new TemplateRenderException(function + "() argument '" + name + "' must be an integer, not "
                    + Values.typeName(v));
        }
        return Values.asLong(v);
    }

    boolean flag(int index, String name, boolean fallback) {
        return Values.truthy(get(index, name, fallback));
    }

    /** The positional arguments from {@code index} on (for tests passed on by select and selectattr). */
    List<Object> from(int index) {
        return index >= positional.size() ? List.of() : positional.subList(index, positional.size());
    }
}
