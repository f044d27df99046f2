package dev.streamformer.app;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamformer.event.BatchInference;
import dev.streamformer.event.Enrichment;
import dev.streamformer.event.EventParser;
import dev.streamformer.event.InvalidEventException;
import dev.streamformer.event.ValueFormat;
import dev.streamformer.event.ValueFormats;
import dev.streamformer.task.EventInput;
import dev.streamformer.task.PreparedText;
import dev.streamformer.task.Task;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * JSON Lines in, JSON Lines out, one output line per input line, in order.
 *
 * <p>A line that starts with {@code '{'} is a JSON object whose text is in {@code textField}; any other line is taken as
 * plain text ({@code {"text": line}}); with another value format (e.g. {@code --value-format text}) each line is one
 * value of that format, written back in it. Each line goes through the Kafka pipeline's event core: the same
 * {@link EventParser} rules, the same isolation of model failures and refusal of non-finite results
 * ({@link BatchInference}), the same enrichment and JSON writing ({@link Enrichment}). A bad line becomes
 * {@code {"error": "...", "reason": "...", "line": n}}, its reason the one the dead-letter topic would carry, and the
 * others go on; with {@code failFast} the first bad line stops the run with exit code 1. A line longer than
 * {@value #MAX_LINE_BYTES} bytes (Kafka's default largest record) is refused ({@value #LINE_TOO_LONG}) without being kept
 * in memory.
 */
final class JsonLines {

    /**
     * Lines handed to the model together, at most. The task sorts them by length before it batches them, so a bigger
     * chunk pads less: SST-2 sentences padded to 1.63 times their real tokens in chunks of 256, 1.17 in chunks of 1,024,
     * 1.06 with all 3,000 sorted at once (batches of 64). A smaller chunk goes when the input pauses, so only bulk input
     * (a file, a fast pipe) fills one.
     */
    static final int CHUNK_LINES = 4096;
    /** Line bytes in one chunk, at most: a chunk of long lines goes sooner, so memory stays bounded (about 16 MiB of input). */
    static final int CHUNK_BYTES = 16 * 1024 * 1024;
    static final int MAX_LINE_BYTES = 1024 * 1024;
    static final String LINE_TOO_LONG = "line-too-long";

    private final EventParser parser;
    private final Enrichment enrichment;
    /** json: lines that do not start with '{' are plain text; any other format reads every line as a value. */
    private final boolean plainLinesAsText;
    private final boolean failFast;
    private final Progress progress;
    private final ToIntFunction<String> tokenCounter;
    private final String modelId;

    /**
     * Lines for {@link #run(InputStream, PrintStream, Function)}: a batch function that is not a {@link Task}.
     *
     * @param tokenCounter tokens of a text, for the progress line
     * @param modelId      written into every result as {@code model}; null to leave it out
     */
    JsonLines(String textField, int maxTextBytes, boolean failFast, Progress progress, ToIntFunction<String> tokenCounter, String modelId) {
        this(textField, maxTextBytes, failFast, progress, tokenCounter, modelId, EventInput.TEXT);
    }

    /** @param input how the task reads an event (a chat generation renders {@code messages} through its template) */
    JsonLines(String textField, int maxTextBytes, boolean failFast, Progress progress, ToIntFunction<String> tokenCounter,
              String modelId, EventInput input) {
        this(ValueFormats.create(ValueFormats.DEFAULT, Map.of()), true, textField, null, Enrichment.DEFAULT, maxTextBytes, failFast, progress,
                tokenCounter, modelId, input);
    }

    /**
     * Lines as a command's options describe them (format, text field, limits); for a {@link Task} the token counter and
     * model id are null (the task has them).
     */
    JsonLines(LineOptions options, Progress progress, ToIntFunction<String> tokenCounter, String modelId, EventInput input) {
        this(options.format(), options.valueFormat.equals(ValueFormats.DEFAULT), options.textField, options.textTemplate,
                options.enrichment(), options.maxTextBytes, options.failFast, progress, tokenCounter, modelId, input);
    }

    private JsonLines(ValueFormat format, boolean plainLinesAsText, String textField, String textTemplate, Enrichment enrichment,
                      int maxTextBytes, boolean failFast, Progress progress, ToIntFunction<String> tokenCounter, String modelId,
                      EventInput input) {
        this.parser = new EventParser(format, textField, textTemplate, maxTextBytes, input);
        this.enrichment = enrichment;
        this.plainLinesAsText = plainLinesAsText;
        this.failFast = failFast;
        this.progress = progress;
        this.tokenCounter = tokenCounter;
        this.modelId = modelId;
    }

    /** An input line: the parsed event and, once prepared, its text as the task tokenized it; or why it was refused. */
    private record Line(long number, EventParser.ParsedEvent event, PreparedText input, Failure failure) {

        Line(long number, EventParser.ParsedEvent event) { this(number, event, null, null); }

        Line(long number, Failure failure) { this(number, null, null, failure); }
    }

    /** A refused line: a reason as the dead-letter topic names it, and a sentence. */
    private record Failure(String reason, String message) {}

    /** Processes every line of {@code in} with a batch function; returns the exit code. */
    int run(InputStream in, PrintStream out, Function<List<String>, List<ObjectNode>> batch) throws IOException {
        return run(in, out, new FunctionTask(modelId, tokenCounter, batch));
    }

    /** Processes every line of {@code in}, each text tokenized once ({@link Task#prepare}); returns the exit code. */
    int run(InputStream in, PrintStream out, Task task) throws IOException {
        List<Line> chunk = new ArrayList<>();
        long number = 0, chunkBytes = 0;
        byte[] raw;
        while ((raw = readLine(in)) != null) {
            chunk.add(parse(++number, raw));
            chunkBytes += raw.length;
            if (chunk.size() == CHUNK_LINES || chunkBytes >= CHUNK_BYTES || inputPaused(in)) {
                if (!flush(chunk, out, task)) return 1;
                chunk.clear();
                chunkBytes = 0;
            }
        }
        return flush(chunk, out, task) ? 0 : 1;
    }

    private boolean flush(List<Line> chunk, PrintStream out, Task task) {
        List<Line> prepared = prepare(chunk, task);
        List<PreparedText> inputs = new ArrayList<>();
        for (Line l : prepared) if (l.input != null) inputs.add(l.input);
        List<BatchInference.Outcome> outcomes = BatchInference.run(task, inputs).outcomes();
        int next = 0;
        long tokens = 0, errors = 0;
        for (Line l : prepared) {
            Written written = l.failure != null ? new Written(null, l.failure) : written(l, outcomes.get(next++), task.modelId());
            if (written.failure == null) {
                out.write(written.json, 0, written.json.length);
                out.println();
                tokens += l.input.tokens();
                continue;
            }
            errors++;
            if (failFast) {
                out.flush();
                System.err.println("streamformer: line " + l.number + ": " + written.failure.message);
                return false;
            }
            out.println(JsonNodeFactory.instance.objectNode()
                    .put("error", written.failure.message).put("reason", written.failure.reason).put("line", l.number));
        }
        out.flush();
        progress.add(chunk.size() - errors, tokens, errors);
        return true;
    }

    /** What a line comes to: the enriched event's JSON, or why it was refused. */
    private record Written(byte[] json, Failure failure) {}

    private Written written(Line line, BatchInference.Outcome outcome, String modelId) {
        return switch (outcome) {
            case BatchInference.Outcome.Enriched enriched -> {
                try {
                    ObjectNode event = enrichment.enrich(line.event.json(), enriched.fields(), modelId);
                    yield new Written(parser.format().write(null, line.event.decoded(), event), null);
                } catch (InvalidEventException e) {
                    yield new Written(null, new Failure(e.reason(), Main.oneLine(e)));
                }
            }
            case BatchInference.Outcome.Failed failed -> new Written(null, new Failure(failed.reason(), Main.oneLine(failed.error())));
        };
    }

    private Line parse(long number, byte[] raw) {
        if (raw == TOO_LONG) {
            return new Line(number, new Failure(LINE_TOO_LONG, "The line is over " + MAX_LINE_BYTES
                    + " bytes; split it (the text limit is set by --max-text-bytes)."));
        }
        try {
            if (!plainLinesAsText) {
                return new Line(number, parser.parse(raw));
            }
            String line = EventParser.decodeUtf8(raw);
            return new Line(number, line.stripLeading().startsWith("{") ? parser.parseJson(line) : parser.plainText(line));
        } catch (InvalidEventException e) {
            return new Line(number, new Failure(e.reason(), e.getMessage()));
        }
    }

    /** The parsed lines tokenized once; a text the tokenizer fails on is refused as on Kafka ({@code tokenizer-failure}). */
    private static List<Line> prepare(List<Line> chunk, Task task) {
        List<Line> prepared = new ArrayList<>(chunk.size());
        for (Line l : chunk) {
            if (l.failure != null) {
                prepared.add(l);
                continue;
            }
            try {
                prepared.add(new Line(l.number, l.event, task.prepare(l.event.text()), null));
            } catch (RuntimeException e) {
                prepared.add(new Line(l.number, new Failure(BatchInference.TOKENIZER_FAILURE, Main.oneLine(e))));
            }
        }
        return prepared;
    }

    /** A batch function and a token counter as a {@link Task} (the tokenizer command, tests). */
    private record FunctionTask(String modelId, ToIntFunction<String> tokenCounter, Function<List<String>, List<ObjectNode>> batch)
            implements Task {
        @Override public String name() { return "lines"; }
        @Override public int countTokens(String text) { return tokenCounter.applyAsInt(text); }
        @Override public List<ObjectNode> run(List<String> texts) { return batch.apply(texts); }
    }

    /**
     * Nothing more can be read without waiting: an interactive producer gets its results now, not after
     * {@value #CHUNK_LINES} lines. A pipe from a faster producer keeps its buffer full, so bulk input still comes in large chunks.
     */
    private static boolean inputPaused(InputStream in) {
        try {
            return in.available() == 0;
        } catch (IOException e) {
            return false;   // a stream that cannot tell: wait for a full chunk
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
        if (bytes.length > 0 && bytes[bytes.length - 1] == '\r') return Arrays.copyOf(bytes, bytes.length - 1);
        return bytes;
    }
}
