package dev.streamformer.chat.jinja;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** How the engine meets its callers: parse-time errors, functions, Java values in, reuse across threads. */
class TemplateTest {

    @Test
    void unknownFilterFailsAtParseNamingItAndItsLine() {
        TemplateSyntaxException e = assertThrows(TemplateSyntaxException.class,
                () -> Template.parse("line one\n{{ x | shout }}"));
        assertEquals(2, e.line());
        assertEquals("line 2: no filter named 'shout'", e.getMessage());
    }

    @Test
    void unknownTestFailsAtParse() {
        TemplateSyntaxException e = assertThrows(TemplateSyntaxException.class, () -> Template.parse("{{ x is loud }}"));
        assertEquals("line 1: no test named 'loud'", e.getMessage());
    }

    @Test
    void unsupportedTagIsNamed() {
        TemplateSyntaxException e = assertThrows(TemplateSyntaxException.class,
                () -> Template.parse("{% include 'other.jinja' %}"));
        assertEquals("line 1: the 'include' tag is not supported in chat templates", e.getMessage());
    }

    @Test
    void breakOutsideALoopIsRejected() {
        TemplateSyntaxException e = assertThrows(TemplateSyntaxException.class, () -> Template.parse("{% if x %}{% break %}{% endif %}"));
        assertEquals("line 1: 'break' outside of a loop", e.getMessage());
    }

    @Test
    void unclosedBlockSaysWhatItExpected() {
        TemplateSyntaxException e = assertThrows(TemplateSyntaxException.class,
                () -> Template.parse("{% for m in messages %}\n{{ m }}\n"));
        assertEquals("line 2: unexpected end of template, expected 'else' or 'endfor'", e.getMessage());
    }

    @Test
    void exceptionFromAFunctionReachesTheCallerUnchanged() {
        IllegalStateException refusal = new IllegalStateException("Conversation roles must alternate");
        TemplateFunction raise = (args, keywords) -> {
            throw refusal;
        };
        Template t = Template.parse("before {{ raise_exception('ignored') }}");

        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> t.render(Map.of("raise_exception", raise)));
        assertSame(refusal, thrown);
    }

    @Test
    void functionsReceivePositionalAndKeywordArguments() {
        TemplateFunction echo = (args, keywords) -> List.of(args, keywords);
        assertEquals("[['a', 1], {'n': True}]", Template.parse("{{ f('a', 1, n=true) }}").render(Map.of("f", echo)));
    }

    @Test
    void javaValuesBecomePythonOnes() {
        Map<String, Object> variables = Map.of("i", 3, "f", 1.5f, "list", List.of(1, "x"), "array", new Object[] {true, null});
        assertEquals("4 1.5 [1, 'x'] [True, None] True",
                Template.parse("{{ i + 1 }} {{ f }} {{ list }} {{ array }} {{ i is integer }}").render(variables));
    }

    @Test
    void unsupportedJavaValueIsRefusedWithTheTypesThatWork() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Template.parse("{{ x }}").render(Map.of("x", new StringBuilder("sb"))));
        assertTrue(e.getMessage().contains("pass strings, numbers, booleans, null, lists or maps"), e.getMessage());
    }

    /** transformers' AssistantTracker extension: outside assistant-mask tracking the block renders its body as is. */
    @Test
    void generationBlockRendersItsBody() {
        assertEquals("a kept b", Template.parse("a {% generation %}kept{% endgeneration %} b").render(Map.of()));
    }

    @Test
    void rangeLargerThanTheSandboxAllowsFails() {
        TemplateRenderException e = assertThrows(TemplateRenderException.class,
                () -> Template.parse("{% for i in range(200000) %}{% endfor %}").render(Map.of()));
        assertEquals("Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000).", e.getMessage());
    }

    @Test
    void oneParsedTemplateRendersConcurrently() throws Exception {
        Template t = Template.parse("{% set ns = namespace(n=0) %}{% for i in items %}{% set ns.n = ns.n + i %}{% endfor %}{{ ns.n }}");
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<String>> results = new ArrayList<>();
            for (int k = 0; k < 200; k++) {
                int n = k;
                results.add(pool.submit(() -> t.render(Map.of("items", List.of(n, n, 1)))));
            }
            for (int k = 0; k < results.size(); k++) {
                assertEquals(String.valueOf(2 * k + 1), results.get(k).get());
            }
        }
    }
}
