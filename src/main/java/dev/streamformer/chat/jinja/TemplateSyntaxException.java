package dev.streamformer.chat.jinja;

/** A template that is not valid Jinja, or uses a construct this engine does not implement; raised by {@link Template#parse}. */
public final class TemplateSyntaxException extends RuntimeException {

    private final int line;

    TemplateSyntaxException(String message, int line) {
        super("line " + line + ": " + message);
        this.line = line;
    }

    /** The 1-based template line the problem was found on. */
    public int line() {
        return line;
    }
}
