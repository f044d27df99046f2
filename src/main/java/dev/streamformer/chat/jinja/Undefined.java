package dev.streamformer.chat.jinja;

/**
 * The value of a missing variable, attribute or item (Jinja2's default {@code Undefined}): it prints as nothing, is
 * false, has length 0 and iterates as empty, but any attribute access, item access, call or arithmetic on it fails
 * with the message Jinja2 gives, such as {@code 'x' is undefined} or {@code 'dict object' has no attribute 'y'}.
 */
final class Undefined {

    private final String message;

    private Undefined(String message) {
        this.message = message;
    }

    static Undefined variable(String name) {
        return new Undefined(PyStrings.repr(name) + " is undefined");
    }

    static Undefined attribute(Object owner, String name) {
        return new Undefined(PyStrings.repr(Values.objectDescription(owner)) + " has no attribute " + PyStrings.repr(name));
    }

    static Undefined element(Object owner, Object key) {
        if (key instanceof String name) {
            return attribute(owner, name);
        }
        return new Undefined(Values.objectDescription(owner) + " has no element " + Values.repr(key));
    }

    static Undefined withMessage(String message) {
        return new Undefined(message);
    }

    /** The error for using this value where a real one is needed. */
    TemplateRenderException error() {
        return new TemplateRenderException(message);
    }
}
