package dev.streamformer.chat.jinja;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Jinja features chat templates use, one group per test, each row a template, its variables (JSON) and the
 * expected output. The expected values are what Jinja2 3.1.6 renders, set up as Hugging Face transformers sets it up
 * ({@code ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[loopcontrols])} with
 * transformers' {@code tojson}): each row was run there and its output copied here, so none comes from this engine.
 */
class TemplateFeaturesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void whitespaceControl(String template, String variablesJson, String expected) {
        assertEquals(expected, render(template, variablesJson));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void expressions(String template, String variablesJson, String expected) {
        assertEquals(expected, render(template, variablesJson));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void stringMethods(String template, String variablesJson, String expected) {
        assertEquals(expected, render(template, variablesJson));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void dictMethods(String template, String variablesJson, String expected) {
        assertEquals(expected, render(template, variablesJson));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void filters(String template, String variablesJson, String expected) {
        assertEquals(expected, render(template, variablesJson));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void tests(String template, String variablesJson, String expected) {
        assertEquals(expected, render(template, variablesJson));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void loops(String template, String variablesJson, String expected) {
        assertEquals(expected, render(template, variablesJson));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void assignments(String template, String variablesJson, String expected) {
        assertEquals(expected, render(template, variablesJson));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void undefinedValues(String template, String variablesJson, String expected) {
        assertEquals(expected, render(template, variablesJson));
    }

    /** Failures with Jinja2's own message (its UndefinedError, or the Python TypeError behind it). */
    @ParameterizedTest(name = "{0}")
    @MethodSource
    void renderErrors(String template, String variablesJson, String expectedMessage) {
        TemplateRenderException e = assertThrows(TemplateRenderException.class, () -> render(template, variablesJson));
        assertEquals(expectedMessage, e.getMessage());
    }

    private static String render(String template, String variablesJson) {
        try {
            Map<String, Object> variables = JSON.readValue(variablesJson, Map.class);
            return Template.parse(template).render(variables);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static Stream<Arguments> whitespaceControl() {
        return Stream.of(
                Arguments.of("  {% if true %}\n  x\n  {% endif %}\n  {{ 'y' }}\n",
                        "{}",
                        "  x\n  y"),
                Arguments.of("a  {%- if true -%}  b  {%- endif -%}  c",
                        "{}",
                        "abc"),
                Arguments.of("a\n  {{- 'b' -}}\n  c",
                        "{}",
                        "abc"),
                Arguments.of("{% for i in [1, 2] %}\n  {{ i }}\n{% endfor %}\n",
                        "{}",
                        "  1\n  2\n"),
                Arguments.of("x {# comment #}\n  y\n  {# indented comment #}\nz",
                        "{}",
                        "x   y\nz"),
                Arguments.of("a\n  {%+ if true %}b{% endif +%}\nc",
                        "{}",
                        "a\n  b\nc"),
                Arguments.of("one\r\ntwo\r\n{% if true %}\r\nthree\r\n{% endif %}\r\n",
                        "{}",
                        "one\ntwo\nthree\n"),
                Arguments.of("\t{% set x = 1 %}\t{{ x }}",
                        "{}",
                        "\t1"),
                Arguments.of("{{ 'a' }}\n\n",
                        "{}",
                        "a\n"),
                Arguments.of("{{ 'a' }}  {% if true %}b{% endif %}",
                        "{}",
                        "a  b"),
                Arguments.of("{%- for m in items -%}\n    {{ m }}\n{%- endfor -%}",
                        "{\"items\": [\"a\", \"b\"]}",
                        "ab"),
                Arguments.of("{{ 'x' }}\n    {%- if true %} y{% endif %}",
                        "{}",
                        "x y"));
    }

    static Stream<Arguments> expressions() {
        return Stream.of(
                Arguments.of("{{ 'abc'[::-1] }}|{{ [1, 2, 3][1:] }}|{{ [1, 2, 3][:-1] }}|{{ 'hello'[1:4] }}|{{ [1, 2, 3, 4, 5][::2] }}|{{ [1, 2, 3][-2:] }}|{{ 'abc'[5:] }}|{{ [1, 2, 3][::-1] }}",
                        "{}",
                        "cba|[2, 3]|[1, 2]|ell|[1, 3, 5]|[2, 3]||[3, 2, 1]"),
                Arguments.of("{{ 1 / 2 }}|{{ 7 // 2 }}|{{ -7 // 2 }}|{{ -7 % 3 }}|{{ 2 ** 10 }}|{{ 7.5 // 2 }}|{{ 10 / 4 }}|{{ 3 * 'ab' }}|{{ [0] * 2 }}",
                        "{}",
                        "0.5|3|-4|2|1024|3.0|2.5|ababab|[0, 0]"),
                Arguments.of("{{ 1.0 }}|{{ 1e-5 }}|{{ 1e16 }}|{{ 0.1 + 0.2 }}|{{ 2.5e3 }}|{{ 1_000 }}",
                        "{}",
                        "1.0|1e-05|1e+16|0.30000000000000004|2500.0|1000"),
                Arguments.of("{{ none }}|{{ true }}|{{ False }}|{{ [1, 'a', none, {'k': 'v'}, true, 1.5] }}|{{ {'a': [1, \"it's\"]} }}",
                        "{}",
                        "None|True|False|[1, 'a', None, {'k': 'v'}, True, 1.5]|{'a': [1, \"it's\"]}"),
                Arguments.of("{{ 'a' ~ 1 ~ none ~ undefined_name ~ 2.0 }}",
                        "{}",
                        "a1None2.0"),
                Arguments.of("{{ 'a' if x else 'b' }}|{{ 'c' if y }}|{{ 1 if 0 else 2 if 1 else 3 }}",
                        "{\"x\": 1, \"y\": 0}",
                        "a||2"),
                Arguments.of("{{ 'a' in 'cat' }} {{ 'z' not in 'cat' }} {{ 1 in [1, 2] }} {{ 'k' in {'k': 1} }} {{ 3 not in [1] }}",
                        "{}",
                        "True True True True True"),
                Arguments.of("{{ 1 < 2 < 3 }} {{ 3 > 2 > 2 }} {{ 1 == 1.0 }} {{ true == 1 }} {{ 'a' != 'b' }} {{ [1, 2] == [1, 2] }} {{ 'a' < 'b' }} {{ [1, 2] < [1, 3] }} {{ 2 >= 2 }}",
                        "{}",
                        "True False True True True True True True True"),
                Arguments.of("{{ not x is defined }} {{ not true and false }} {{ none or 'd' }} {{ 0 and 1 }} {{ '' or [] }} {{ 1 and 'x' }}",
                        "{}",
                        "True False d 0 [] x"),
                Arguments.of("{{ items|length - 1 }}|{{ -x|abs }}|{{ (1 + 2) * 3 }}|{{ 2 ** 3 ** 2 }}|{{ -2 ** 2 }}|{{ 'a' ~ 2 * 3 }}",
                        "{\"items\": [1, 2, 3], \"x\": 5}",
                        "2|5|9|64|4|a6"),
                Arguments.of("{{ 'it''s' }}|{{ \"a\\tb\\n\\u00e9\\x41\\\\\" }}|{{ 'a' 'b' }}|{{ '\\d' }}",
                        "{}",
                        "its|a\tb\néA\\|ab|\\d"),
                Arguments.of("{{ d['a'] }}{{ d.a }}{{ l[0] }}{{ l.0 }}{{ l[-1] }}{{ [[1]][0][0] }}{{ {'x': {'y': 'z'}}.x.y }}",
                        "{\"d\": {\"a\": 1}, \"l\": [\"p\", \"q\"]}",
                        "11ppq1z"),
                Arguments.of("{{ 'é'|length }} {{ '🙂x'|length }} {{ '🙂x'[0] }} {{ '🙂x'[::-1] }} {{ '🙂x'[1:] }}",
                        "{}",
                        "1 2 🙂 x🙂 x"),
                Arguments.of("{{ dict(a=1)['a'] }} {{ range(3)|list }} {{ range(1, 7, 2)|list }} {{ range(3, 0, -1)|list }}",
                        "{}",
                        "1 [0, 1, 2] [1, 3, 5] [3, 2, 1]"));
    }

    static Stream<Arguments> stringMethods() {
        return Stream.of(
                Arguments.of("[{{ '  a b  '.strip() }}][{{ 'xxaxx'.strip('x') }}][{{ '\\n\\nhi\\n'.lstrip('\\n') }}][{{ 'hi \\n\\n'.rstrip() }}][{{ '\\u00a0x\\u3000'.strip() }}]",
                        "{}",
                        "[a b][a][hi\n][hi][x]"),
                Arguments.of("{{ 'a,b,,c'.split(',') }} {{ '  a  b '.split() }} {{ 'a b c'.split(' ', 1) }} {{ 'a b  c'.split(none, 1) }} {{ 'x'.split('x') }}",
                        "{}",
                        "['a', 'b', '', 'c'] ['a', 'b'] ['a', 'b c'] ['a', 'b  c'] ['', '']"),
                Arguments.of("{{ 'hello'.startswith('he') }} {{ 'hello'.endswith('lo') }} {{ 'hello'.startswith(('x', 'h')) }} {{ 'hello'.endswith('x') }}",
                        "{}",
                        "True True True False"),
                Arguments.of("{{ 'aaa'.replace('a', 'b') }} {{ 'aaa'.replace('a', 'b', 2) }} {{ 'abc'.replace('', '-') }}",
                        "{}",
                        "bbb bba -a-b-c-"),
                Arguments.of("{{ 'Hi'.upper() }} {{ 'Hi'.lower() }} {{ 'hello wORLD'.title() }} {{ \"they're bill's\".title() }} {{ 'hELLO'.capitalize() }}",
                        "{}",
                        "HI hi Hello World They'Re Bill'S Hello"),
                Arguments.of("{{ 'abcabc'.find('c') }} {{ 'abc'.find('z') }} {{ 'abcabc'.count('bc') }} {{ ', '.join(['a', 'b']) }} {{ '12'.isdigit() }} {{ ' '.isspace() }}",
                        "{}",
                        "2 -1 2 a, b True True"),
                Arguments.of("{% set c = m.split('</think>')[-1].lstrip('\\n') %}{% set r = m.split('</think>')[0].rstrip('\\n').split('<think>')[-1].lstrip('\\n') %}[{{ c }}][{{ r }}]",
                        "{\"m\": \"<think>\\nreason\\n</think>\\n\\nanswer\"}",
                        "[answer][reason]"));
    }

    static Stream<Arguments> dictMethods() {
        return Stream.of(
                Arguments.of("{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}",
                        "{\"d\": {\"a\": 1, \"b\": 2}}",
                        "a=1;b=2;"),
                Arguments.of("{{ d.keys()|list }} {{ d.values()|list }}",
                        "{\"d\": {\"a\": 1, \"b\": 2}}",
                        "['a', 'b'] [1, 2]"),
                Arguments.of("{{ d.get('a') }} {{ d.get('z') }} {{ d.get('z', 9) }}",
                        "{\"d\": {\"a\": 1}}",
                        "1 None 9"));
    }

    static Stream<Arguments> filters() {
        return Stream.of(
                Arguments.of("[{{ ' x \\n'|trim }}][{{ 'xxaxx'|trim('x') }}]",
                        "{}",
                        "[x][a]"),
                Arguments.of("{{ [1, 2]|length }} {{ 'abc'|length }} {{ {'a': 1}|length }} {{ [1, 2]|count }}",
                        "{}",
                        "2 3 1 2"),
                Arguments.of("{{ [3, 4]|first }} {{ [3, 4]|last }} {{ 'abc'|first }} {{ 'abc'|last }}",
                        "{}",
                        "3 4 a c"),
                Arguments.of("{{ ['a', 'b']|join(', ') }} {{ [1, 2]|join }} {{ items|join('/', attribute='n') }}",
                        "{\"items\": [{\"n\": \"x\"}, {\"n\": \"y\"}]}",
                        "a, b 12 x/y"),
                Arguments.of("{{ x|default('d') }} {{ ''|default('d') }} {{ ''|default('d', true) }} {{ none|default('d') }} {{ x|d('e') }}",
                        "{}",
                        "d  d None e"),
                Arguments.of("{{ msgs|selectattr('role', 'equalto', 'user')|list|length }} {{ msgs|rejectattr('role', 'eq', 'user')|map(attribute='content')|join(',') }} {{ msgs|selectattr('tool')|map(attribute='role')|list }}",
                        "{\"msgs\": [{\"role\": \"user\", \"content\": \"a\"}, {\"role\": \"assistant\", \"content\": \"b\", \"tool\": 1}, {\"role\": \"user\", \"content\": \"c\"}]}",
                        "2 b ['assistant']"),
                Arguments.of("{{ msgs|map(attribute='role')|list }} {{ msgs|map(attribute='missing', default='?')|list }} {{ ['a', 'b']|map('upper')|join }} {{ [1, 2]|map('string')|join('-') }}",
                        "{\"msgs\": [{\"role\": \"user\"}, {\"role\": \"assistant\"}]}",
                        "['user', 'assistant'] ['?', '?'] AB 1-2"),
                Arguments.of("{{ [1, 2, 3]|select('odd')|list }} {{ [1, 2, 3]|reject('odd')|list }} {{ [0, 1, '', 'x']|select|list }} {{ [1, 5, 9]|select('gt', 4)|list }}",
                        "{}",
                        "[1, 3] [2] [1, 'x'] [5, 9]"),
                Arguments.of("{{ d|items|list|length }}{% for k, v in d|items %} {{ k }}:{{ v }}{% endfor %}",
                        "{\"d\": {\"a\": 1, \"b\": \"x\"}}",
                        "2 a:1 b:x"),
                Arguments.of("{{ 'ab'|list }} {{ 1|string }} {{ '42'|int + 1 }} {{ '3.7'|int }} {{ 'x'|int }} {{ 3.9|int }} {{ 'x'|int(7) }} {{ 1.5|float }} {{ '2'|float }} {{ 1|float }}",
                        "{}",
                        "['a', 'b'] 1 43 3 0 3 7 1.5 2.0 1.0"),
                Arguments.of("{{ 'hello world'|capitalize }} {{ 'hello-world foo(bar)'|title }} {{ 'A'|lower }} {{ 'a'|upper }} {{ 'aXa'|replace('a', 'b') }}",
                        "{}",
                        "Hello world Hello-World Foo(Bar) a A bXb"),
                Arguments.of("{{ [3, 1, 2]|sort }} {{ ['b', 'A', 'c']|sort }} {{ [3, 1, 2]|sort(reverse=true) }} {{ items|sort(attribute='n')|map(attribute='n')|join }}",
                        "{\"items\": [{\"n\": 2}, {\"n\": 1}]}",
                        "[1, 2, 3] ['A', 'b', 'c'] [3, 2, 1] 12"),
                Arguments.of("{{ [1, 2, 3]|sum }} {{ [1, 2]|reverse|list }} {{ 'abc'|reverse }} {{ [1, 5, 2]|max }} {{ [4, 2]|min }} {{ [1, 2, 1]|unique|list }}",
                        "{}",
                        "6 [2, 1] cba 5 2 [1, 2]"),
                Arguments.of("{{ 2.5|round }} {{ 3.5|round }} {{ 3.14159|round(2) }} {{ 3.14159|round(1, 'ceil') }} {{ -3|abs }} {{ 'a b c'|wordcount }} {{ 'x'|safe }}",
                        "{}",
                        "2.0 4.0 3.14 3.2 3 3 x"),
                Arguments.of("{{ x|tojson }}",
                        "{\"x\": {\"a\": [1, 2.5, \"é\\n<>'\177\\u0001 \\\"q\\\" \\\\\"], \"b\": null, \"c\": true, \"d\": {}, \"e\": []}}",
                        "{\"a\": [1, 2.5, \"é\\n<>'\177\\u0001 \\\"q\\\" \\\\\"], \"b\": null, \"c\": true, \"d\": {}, \"e\": []}"),
                Arguments.of("{{ x|tojson(indent=2) }}",
                        "{\"x\": {\"b\": [1, 2], \"a\": {}, \"c\": [], \"d\": {\"e\": \"f\"}}}",
                        "{\n  \"b\": [\n    1,\n    2\n  ],\n  \"a\": {},\n  \"c\": [],\n  \"d\": {\n    \"e\": \"f\"\n  }\n}"),
                Arguments.of("{{ x|tojson(indent=4, sort_keys=true) }}|{{ 'é'|tojson(ensure_ascii=true) }}|{{ x|tojson(separators=(',', ':')) }}",
                        "{\"x\": {\"b\": [1, 2], \"a\": {\"z\": null}}}",
                        "{\n    \"a\": {\n        \"z\": null\n    },\n    \"b\": [\n        1,\n        2\n    ]\n}|\"\\u00e9\"|{\"b\":[1,2],\"a\":{\"z\":null}}"),
                Arguments.of("{{ 'line1\\nline2\\n\\nline4'|indent(2) }}|{{ 'a\\nb'|indent(2, true) }}|{{ 'a\\n\\nb'|indent(2, blank=true) }}|{{ 'a\\nb'|indent('> ') }}",
                        "{}",
                        "line1\n  line2\n\n  line4|  a\n  b|a\n  \n  b|a\n> b"));
    }

    static Stream<Arguments> tests() {
        return Stream.of(
                Arguments.of("{{ x is defined }} {{ x is not defined }} {{ y is defined }} {{ x is undefined }}",
                        "{\"y\": null}",
                        "False True True True"),
                Arguments.of("{{ none is none }} {{ 0 is none }} {{ 1 is number }} {{ true is number }} {{ 1.5 is number }} {{ 's' is number }}",
                        "{}",
                        "True False True True True False"),
                Arguments.of("{{ 's' is string }} {{ 1 is string }} {{ {} is mapping }} {{ [] is mapping }}",
                        "{}",
                        "True False True False"),
                Arguments.of("{{ [] is iterable }} {{ 's' is iterable }} {{ {} is iterable }} {{ x is iterable }} {{ 1 is iterable }} {{ none is iterable }} {{ [] is sequence }} {{ 's' is sequence }} {{ 1 is sequence }}",
                        "{}",
                        "True True True True False False True True False"),
                Arguments.of("{{ false is false }} {{ 0 is false }} {{ true is true }} {{ 1 is true }} {{ true is boolean }} {{ 1 is integer }} {{ 1.0 is integer }} {{ 1.0 is float }}",
                        "{}",
                        "True False True False True True False True"),
                Arguments.of("{{ 3 is odd }} {{ 4 is even }} {{ 9 is divisibleby 3 }} {{ 9 is divisibleby(4) }} {{ none is sameas none }} {{ false is sameas false }} {{ 0 is sameas false }}",
                        "{}",
                        "True True True False True True False"),
                Arguments.of("{{ 'a' is in 'abc' }} {{ 2 is in [1, 2] }} {{ 1 is eq 1 }} {{ 1 is equalto 2 }} {{ 1 is ne 2 }} {{ 1 is lt 2 }} {{ 2 is ge 2 }} {{ 3 is gt 4 }} {{ 'ab' is lower }} {{ 'AB' is upper }}",
                        "{}",
                        "True True True False True True True False True True"),
                Arguments.of("{{ enable_thinking is defined and enable_thinking is false }}",
                        "{\"enable_thinking\": false}",
                        "True"));
    }

    static Stream<Arguments> loops() {
        return Stream.of(
                Arguments.of("{% for m in ms %}{{ loop.index0 }}{{ loop.index }}{{ loop.first }}{{ loop.last }}{{ loop.length }}{{ loop.revindex }}{{ loop.revindex0 }};{% endfor %}",
                        "{\"ms\": [\"a\", \"b\", \"c\"]}",
                        "01TrueFalse332;12FalseFalse321;23FalseTrue310;"),
                Arguments.of("{% for m in ms %}{% if m == 'b' %}{% continue %}{% endif %}{% if m == 'd' %}{% break %}{% endif %}{{ m }}{% endfor %}",
                        "{\"ms\": [\"a\", \"b\", \"c\", \"d\", \"e\"]}",
                        "ac"),
                Arguments.of("{% for m in ms if m != 'b' %}{{ m }}{{ loop.index }}{{ loop.length }}{% else %}none{% endfor %}|{% for m in [] %}x{% else %}empty{% endfor %}",
                        "{\"ms\": [\"a\", \"b\", \"c\"]}",
                        "a12c22|empty"),
                Arguments.of("{% for m in ms %}{{ loop.previtem }}-{{ loop.nextitem }};{% endfor %}|{% for m in ms %}{{ loop.cycle('x', 'y') }}{% endfor %}",
                        "{\"ms\": [\"a\", \"b\", \"c\"]}",
                        "-b;a-c;b-;|xyx"),
                Arguments.of("{% for a, b in [[1, 2], [3, 4]] %}{{ a + b }}{% endfor %}|{% for c in 'ab' %}{{ c }}{% endfor %}|{% for k in {'x': 1, 'y': 2} %}{{ k }}{% endfor %}|{% for (a, b) in [['p', 'q']] %}{{ b }}{{ a }}{% endfor %}",
                        "{}",
                        "37|ab|xy|qp"),
                Arguments.of("{% for i in [1, 2] %}{% for j in [3, 4] %}{{ loop.index }}{{ i }}{{ j }} {% endfor %}{{ loop.index }}|{% endfor %}",
                        "{}",
                        "113 214 1|123 224 2|"),
                Arguments.of("{% for m in messages[::-1] %}{{ (messages|length - 1) - loop.index0 }}{{ m }}{% endfor %}",
                        "{\"messages\": [\"a\", \"b\", \"c\"]}",
                        "2c1b0a"),
                Arguments.of("{% for i in [1, 2] %}{% if i == 2 %}{{ seen }}{% endif %}{% set seen = i %}{% endfor %}[{{ seen }}]",
                        "{}",
                        "[]"));
    }

    static Stream<Arguments> assignments() {
        return Stream.of(
                Arguments.of("{% set x = 0 %}{% for i in [1, 2] %}{{ x }}{% set x = x + 1 %}{{ x }}{% endfor %}{{ x }}",
                        "{}",
                        "01010"),
                Arguments.of("{% set ns = namespace(found=false, n=0) %}{% for i in [1, 2, 3] %}{% if i == 2 %}{% set ns.found = true %}{% endif %}{% set ns.n = ns.n + i %}{% endfor %}{{ ns.found }} {{ ns.n }}",
                        "{}",
                        "True 6"),
                Arguments.of("{% set ns = namespace({'a': 1}, b=2) %}{{ ns.a }}{{ ns.b }}{{ ns.c is defined }}",
                        "{}",
                        "12False"),
                Arguments.of("{% set a, b = 1, 2 %}{{ a }}{{ b }}{% set c = [1, 2] %}{{ c }}{% set s %}block {{ a }}{% endset %}[{{ s }}]",
                        "{}",
                        "12[1, 2][block 1]"),
                Arguments.of("{% if true %}{% set inner = 'set inside if' %}{% endif %}{{ inner }}",
                        "{}",
                        "set inside if"),
                Arguments.of("{% macro greet(name, punct='!') %}Hi {{ name }}{{ punct }}{% endmacro %}{{ greet('Bob') }} {{ greet('Al', '?') }} {{ greet(name='Cy', punct='.') }}",
                        "{}",
                        "Hi Bob! Hi Al? Hi Cy."),
                Arguments.of("{% macro render(m) %}{% for k in m %}{{ k }}{% endfor %}{% endmacro %}{% for m in ms %}{{ render(m) }};{% endfor %}",
                        "{\"ms\": [{\"a\": 1}, {\"b\": 2}]}",
                        "a;b;"),
                Arguments.of("{% if x %}a{% elif y %}b{% else %}c{% endif %}{% if not x %}d{% endif %}",
                        "{\"y\": 1}",
                        "bd"));
    }

    static Stream<Arguments> undefinedValues() {
        return Stream.of(
                Arguments.of("[{{ x }}][{{ none.y }}][{{ none.y is defined }}][{{ d.missing }}][{{ d.missing is defined }}][{{ [][0] is defined }}][{{ 'abc'.missing is defined }}]",
                        "{\"d\": {}}",
                        "[][][False][][False][False][False]"),
                Arguments.of("{{ x|length }} {{ x|list }} {{ x|join(',') }} {{ x|trim }} {{ x is none }} {{ x == x }} {{ 'a' in x }}{% for i in x %}never{% endfor %}",
                        "{}",
                        "0 []   False True False"),
                Arguments.of("[{{ []|first }}][{{ ([]|first) is defined }}][{{ 'y' if false }}]",
                        "{}",
                        "[][False][]"));
    }

    static Stream<Arguments> renderErrors() {
        return Stream.of(
                Arguments.of("{{ x.y }}",
                        "{}",
                        "'x' is undefined"),
                Arguments.of("{{ 1 + 2 ~ 3 }}",
                        "{}",
                        "unsupported operand type(s) for +: 'int' and 'str'"),
                Arguments.of("{{ x['y'] }}",
                        "{}",
                        "'x' is undefined"),
                Arguments.of("{{ [1][3].y }}",
                        "{}",
                        "list object has no element 3"),
                Arguments.of("{{ {'a': 1}.b.c }}",
                        "{}",
                        "'dict object' has no attribute 'b'"),
                Arguments.of("{{ 'a' + 1 }}",
                        "{}",
                        "can only concatenate str (not \"int\") to str"),
                Arguments.of("{{ 'x' + none }}",
                        "{}",
                        "can only concatenate str (not \"NoneType\") to str"),
                Arguments.of("{{ [1] + 'a' }}",
                        "{}",
                        "can only concatenate list (not \"str\") to list"),
                Arguments.of("{{ x + 1 }}",
                        "{}",
                        "'x' is undefined"),
                Arguments.of("{{ 1 - 'a' }}",
                        "{}",
                        "unsupported operand type(s) for -: 'int' and 'str'"),
                Arguments.of("{{ 1 < 'a' }}",
                        "{}",
                        "'<' not supported between instances of 'int' and 'str'"),
                Arguments.of("{{ 1 in 'abc' }}",
                        "{}",
                        "'in <string>' requires string as left operand, not int"),
                Arguments.of("{{ 1 in 2 }}",
                        "{}",
                        "argument of type 'int' is not iterable"),
                Arguments.of("{% for i in none %}{% endfor %}",
                        "{}",
                        "'NoneType' object is not iterable"),
                Arguments.of("{{ x() }}",
                        "{}",
                        "'x' is undefined"),
                Arguments.of("{{ 1|length }}",
                        "{}",
                        "object of type 'int' has no len()"),
                Arguments.of("{{ m.content + '!' }}",
                        "{\"m\": {\"role\": \"user\", \"content\": null}}",
                        "unsupported operand type(s) for +: 'NoneType' and 'str'"));
    }

}
