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

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.function.ToIntFunction;
import java.util.stream.IntStream;

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
    /** Where the time goes, stage by stage; null: not measured. */
    private StageTimes times;

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

    /**
     * The run's time by stage, in nanoseconds summed over its chunks (for {@code bench embed}): reading the lines,
     * parsing and tokenizing them, the model (with its result fields and their checks), enriching and writing the output.
     */
    static final class StageTimes {
        long read, parseTokenize, model, write;
    }

    /** Measures this run's stages into {@code times}. */
    JsonLines timed(StageTimes times) {
        this.times = times;
        return this;
    }

    /** An input line: the parsed event and, once prepared, its text as the task tokenized it; or why it was refused. */
    private record Line(long number, EventParser.ParsedEvent event, PreparedText input, Failure failure) {

        Line(long number, EventParser.ParsedEvent event) { this(number, event, null, null); }

        Line(long number, Failure failure) { this(number, null, null, failure); }
    }

    /** A refused line: a reason as the dead-letter topic names it, and a sentence. */
    private record Failure(String reason, String message) {}

    /**
     * Standard output for {@link #run}, 64 KiB buffered: {@code System.out} flushes on every write, here two per line (the
     * event, its newline). {@link #run} flushes it after every chunk and before a fail-fast stop.
     */
    static PrintStream bufferedStdout() {
        return new PrintStream(new BufferedOutputStream(System.out, 1 << 16), false, StandardCharsets.UTF_8);
    }

    /** Processes every line of {@code in} with a batch function; returns the exit code. */
    int run(InputStream in, PrintStream out, Function<List<String>, List<ObjectNode>> batch) throws IOException {
        return run(in, out, new FunctionTask(modelId, tokenCounter, batch));
    }

    /** Processes every line of {@code in}, each text tokenized once ({@link Task#prepare}); returns the exit code. */
    int run(InputStream in, PrintStream out, Task task) throws IOException {
        List<byte[]> chunk = new ArrayList<>();
        long firstNumber = 1, chunkBytes = 0;
        byte[] raw;
        long start = now();
        while ((raw = readLine(in)) != null) {
            chunk.add(raw);
            chunkBytes += raw.length;
            if (times != null) times.read += now() - start;
            if (chunk.size() == CHUNK_LINES || chunkBytes >= CHUNK_BYTES || inputPaused(in)) {
                if (!flush(firstNumber, chunk, out, task)) return 1;
                firstNumber += chunk.size();
                chunk.clear();
                chunkBytes = 0;
            }
            start = now();
        }
        return flush(firstNumber, chunk, out, task) ? 0 : 1;
    }

    /** The time for {@link #times}; 0 when the run is not timed, so an untimed run reads no clock per line. */
    private long now() {
        return times != null ? System.nanoTime() : 0;
    }

    /**
     * One chunk, its lines numbered from {@code firstNumber}: parsed and tokenized, through the model together, then
     * enriched and written in order. Parsing, tokenizing and writing are per line, so they use every core
     * ({@link #eachLine}); the model call between them uses every core itself.
     */
    private boolean flush(long firstNumber, List<byte[]> chunk, PrintStream out, Task task) {
        long start = System.nanoTime();
        Line[] lines = new Line[chunk.size()];
        eachLine(0, lines.length, i -> lines[i] = prepare(parse(firstNumber + i, chunk.get(i)), task));
        List<PreparedText> inputs = new ArrayList<>(lines.length);
        for (Line l : lines) if (l.input != null) inputs.add(l.input);
        long prepared = System.nanoTime();
        List<BatchInference.Outcome> outcomes = BatchInference.run(task, inputs).outcomes();
        long modelled = System.nanoTime();
        if (times != null) {
            times.parseTokenize += prepared - start;
            times.model += modelled - prepared;
        }
        try {
            return write(lines, outcomes, out, task.modelId());
        } finally {
            if (times != null) times.write += System.nanoTime() - modelled;
        }
    }

    /**
     * Writes the chunk's lines in order, {@value #WRITE_BLOCK} at a time: a block's lines are enriched and turned into
     * bytes in parallel, then written one after another. False when {@code failFast} stopped at a bad line.
     */
    private boolean write(Line[] lines, List<BatchInference.Outcome> outcomes, PrintStream out, String modelId) {
        BatchInference.Outcome[] outcomeOf = new BatchInference.Outcome[lines.length];   // by line; null for a refused line
        for (int i = 0, next = 0; i < lines.length; i++) if (lines[i].failure == null) outcomeOf[i] = outcomes.get(next++);
        long tokens = 0, errors = 0;
        for (int from = 0; from < lines.length; from += WRITE_BLOCK) {
            int to = Math.min(lines.length, from + WRITE_BLOCK), first = from;
            Written[] block = new Written[to - from];
            eachLine(from, to, i -> block[i - first] = lines[i].failure != null
                    ? new Written(null, lines[i].failure) : written(lines[i], outcomeOf[i], modelId));
            for (int i = from; i < to; i++) {
                Line l = lines[i];
                Written written = block[i - from];
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
        }
        out.flush();
        progress.add(lines.length - errors, tokens, errors);
        return true;
    }

    /** Lines written per block: bounds the output bytes held at once (a block of embeddings is about 1 MiB). */
    static final int WRITE_BLOCK = 256;
    /** Fewer lines than this are handled on the calling thread: a parallel hand-off costs more than it saves. */
    private static final int PARALLEL_LINES = 32;

    /**
     * {@code work} for lines {@code from} (inclusive) to {@code to}, on the common fork-join pool when there are enough
     * of them. Every piece of work here is one line's own (its parse, its tokens, its output bytes): the parser, the
     * task and the value format are thread-safe, and the results go to the line's own slot, so the order is kept.
     */
    private static void eachLine(int from, int to, IntConsumer work) {
        if (to - from < PARALLEL_LINES) {
            for (int i = from; i < to; i++) work.accept(i);
        } else {
            IntStream.range(from, to).parallel().forEach(work);
        }
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

    /** A parsed line tokenized once; a text the tokenizer fails on is refused as on Kafka ({@code tokenizer-failure}). */
    private static Line prepare(Line line, Task task) {
        if (line.failure != null) {
            return line;
        }
        try {
            return new Line(line.number, line.event, task.prepare(line.event.text()), null);
        } catch (RuntimeException e) {
            return new Line(line.number, new Failure(BatchInference.TOKENIZER_FAILURE, Main.oneLine(e)));
        }
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
