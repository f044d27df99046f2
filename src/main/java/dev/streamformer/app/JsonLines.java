package dev.streamformer.app;

import dev.streamformer.task.EventInput;
import dev.streamformer.task.InvalidInputException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamformer.streams.EventParser;
import dev.streamformer.streams.InvalidEventException;
import dev.streamformer.task.Isolation;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * JSON Lines in, JSON Lines out, one output line per input line, in order.
 *
 * <p>A line that starts with {@code '{'} is a JSON object whose text is in {@code textField}; any other line is taken as
 * plain text ({@code {"text": line}}). Results are added to the input object. A bad line (invalid UTF-8, malformed
 * JSON, missing or non-string text, a failure of the model on that text) becomes {@code {"error": "...", "line": n}} and the
 * others go on; with {@code failFast} the first bad line stops the run with exit code 1.
 *
 * <p>Texts obey the Kafka pipeline's rules ({@link EventParser#checkText}): not empty or only whitespace, at most
 * {@code maxTextBytes} of UTF-8. A line longer than {@value #MAX_LINE_BYTES} bytes (Kafka's default largest record) is
 * refused without being kept in memory.
 */
final class JsonLines {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CHUNK = 256;
    static final int MAX_LINE_BYTES = 1024 * 1024;

    private final String textField;
    private final EventParser texts;
    private final boolean failFast;
    private final Progress progress;
    private final ToIntFunction<String> tokenCounter;
    private final String modelId;
    private final EventInput input;

    /** @param modelId written into every result as {@code model}; null to leave it out */
    JsonLines(String textField, int maxTextBytes, boolean failFast, Progress progress, ToIntFunction<String> tokenCounter, String modelId) {
        this(textField, maxTextBytes, failFast, progress, tokenCounter, modelId, EventInput.TEXT);
    }

    /** @param input how the task reads an event (a chat generation renders {@code messages} through its template) */
    JsonLines(String textField, int maxTextBytes, boolean failFast, Progress progress, ToIntFunction<String> tokenCounter,
              String modelId, EventInput input) {
        this.input = input;
        this.textField = textField;
        this.texts = new EventParser(textField, maxTextBytes);
        this.failFast = failFast;
        this.progress = progress;
        this.tokenCounter = tokenCounter;
        this.modelId = modelId;
    }

    /** A parsed input line: the event to enrich and its text, or the reason it is bad. */
    private record Line(long number, ObjectNode event, String text, String error) {}

    /** Processes every line of {@code in}; returns the exit code. */
    int run(InputStream in, PrintStream out, Function<List<String>, List<ObjectNode>> task) throws IOException {
        List<Line> chunk = new ArrayList<>(CHUNK);
        long number = 0;
        byte[] raw;
        while ((raw = readLine(in)) != null) {
            chunk.add(parse(++number, raw));
            if (chunk.size() == CHUNK) {
                if (!flush(chunk, out, task)) return 1;
                chunk.clear();
            }
        }
        return flush(chunk, out, task) ? 0 : 1;
    }

    private boolean flush(List<Line> chunk, PrintStream out, Function<List<String>, List<ObjectNode>> task) {
        List<String> texts = new ArrayList<>();
        for (Line l : chunk) if (l.error == null) texts.add(l.text);
        List<Isolation.Outcome<ObjectNode>> outcomes = Isolation.run(texts, task);
        int next = 0;
        long tokens = 0, errors = 0;
        for (Line l : chunk) {
            String error = l.error;
            ObjectNode result = null;
            if (error == null) {
                Isolation.Outcome<ObjectNode> o = outcomes.get(next++);
                if (o.ok()) {
                    result = o.result();
                    tokens += tokenCounter.applyAsInt(l.text);
                } else {
                    error = Main.oneLine(o.error());
                }
            }
            if (error != null) {
                errors++;
                if (failFast) {
                    out.flush();
                    System.err.println("streamformer: line " + l.number + ": " + error);
                    return false;
                }
                ObjectNode e = JSON.createObjectNode().put("error", error).put("line", l.number);
                out.println(e);
            } else {
                l.event.setAll(result);
                if (modelId != null) l.event.put("model", modelId);
                out.println(l.event);
            }
        }
        out.flush();
        progress.add(chunk.size() - errors, tokens, errors);
        return true;
    }

    private Line parse(long number, byte[] raw) {
        if (raw == TOO_LONG) {
            return new Line(number, null, null, "The line is over " + MAX_LINE_BYTES + " bytes; split it (the text limit is set by"
                    + " --max-text-bytes).");
        }
        String line;
        try {
            line = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            return new Line(number, null, null, "The line is not valid UTF-8: re-encode the input as UTF-8.");
        }
        if (!line.stripLeading().startsWith("{")) {
            ObjectNode event = JSON.createObjectNode().put("text", line);
            return checked(number, event, line);
        }
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            return new Line(number, null, null, "The line is not valid JSON (" + e.getOriginalMessage() + ").");
        }
        if (!(node instanceof ObjectNode event)) {
            return new Line(number, null, null, "The line is not a JSON object.");
        }
        JsonNode text = event.get(textField);
        if ((text == null || text.isNull()) && input.readsWithoutText(event)) {
            return modelInput(number, event, null);
        }
        if (text == null || text.isNull()) {
            return new Line(number, null, null, "The event has no '" + textField + "' field: add it, or pick the field with --text-field.");
        }
        if (!text.isTextual()) {
            return new Line(number, null, null, "The '" + textField + "' field is a " + text.getNodeType().name().toLowerCase()
                    + ", not a string.");
        }
        return checked(number, event, text.asText());
    }

    /** A text the Kafka rules accept (not blank, within the byte limit), then as the task reads it. */
    private Line checked(long number, ObjectNode event, String text) {
        try {
            texts.checkText(text);
        } catch (InvalidEventException e) {
            return new Line(number, null, null, e.getMessage());
        }
        return modelInput(number, event, text);
    }

    /** The line as the task reads it, or the task's reason for refusing it. */
    private Line modelInput(long number, ObjectNode event, String text) {
        try {
            return new Line(number, event, input.read(event, text), null);
        } catch (InvalidInputException e) {
            return new Line(number, null, null, e.getMessage());
        }
    }

    /** Stands for a line over {@link #MAX_LINE_BYTES}, whose bytes were skipped. */
    private static final byte[] TOO_LONG = new byte[0];

    /** The next line without its {@code \n} (and a {@code \r} before it), {@link #TOO_LONG}, or null at the end of input. */
    private static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(256);
        int b;
        boolean any = false, tooLong = false;
        while ((b = in.read()) != -1) {
            any = true;
            if (b == '\n') break;
            if (buf.size() <= MAX_LINE_BYTES) buf.write(b);
            else tooLong = true;
        }
        if (!any) return null;
        if (tooLong) return TOO_LONG;
        byte[] bytes = buf.toByteArray();
        if (bytes.length > 0 && bytes[bytes.length - 1] == '\r') return java.util.Arrays.copyOf(bytes, bytes.length - 1);
        return bytes;
    }
}
