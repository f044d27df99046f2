/**
 * A small Jinja2 engine for chat templates: {@link dev.streamformer.chat.jinja.Template} parses once (lexer, parser)
 * and renders many times (interpreter), with Jinja2's whitespace rules under {@code trim_blocks}/{@code lstrip_blocks}
 * and Python's semantics for values, so that output is byte-identical to Hugging Face's sandboxed Jinja2 environment.
 * It implements the subset real chat templates use, and fails at parse time, naming the construct, on the rest.
 *
 * <p>May depend on nothing else in Streamformer.
 */
package dev.streamformer.chat.jinja;
