package dev.streamformer.chat.jinja;

import java.util.List;
import java.util.Map;

/**
 * A function a template can call, such as {@code raise_exception(message)} or {@code strftime_now(format)}: pass it
 * as a variable to {@link Template#render}. Arguments arrive as template values (String, Long, Double, Boolean, null,
 * List, Map); an exception it throws ends the rendering and reaches the caller of {@code render} unchanged.
 */
@FunctionalInterface
public interface TemplateFunction {

    Object call(List<Object> args, Map<String, Object> keywords);
}
