package dev.streamformer.chat.jinja;

/**
 * A template that failed while rendering, with the message Jinja2 gives for the same failure
 * (for example {@code 'x' is undefined} or {@code can only concatenate str (not "int") to str}).
 */
public final class TemplateRenderException extends RuntimeException {

    /** Also for a {@link TemplateFunction} that rejects its arguments. */
    public TemplateRenderException(String message) {
        super(message);
    }
}
