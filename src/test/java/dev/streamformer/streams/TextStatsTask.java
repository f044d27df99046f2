package dev.streamformer.streams;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamformer.task.Task;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.CRC32;

/**
 * A tiny deterministic test double for {@link Task} (not a model): for each text it returns {@code length} (code
 * points), {@code crc32} of its UTF-8 bytes and a {@code label} ({@code long} above 5 words, else {@code short}).
 * Tokens are words + 2. It fails the whole batch if any text contains {@link #FAIL_MARKER}, and returns NaN for a
 * text containing {@link #NAN_MARKER}, so that the pipeline's bisection and checks can be tested.
 * {@link #countTokens} throws for a text containing {@link #UNTOKENIZABLE_MARKER}. It records the size of every call and can sleep per call to imitate a slow model.
 */
public class TextStatsTask implements Task {

    public static final String FAIL_MARKER = "<<fail>>";
    public static final String NAN_MARKER = "<<nan>>";
    public static final String UNTOKENIZABLE_MARKER = "<<untokenizable>>";

    private final List<Integer> callSizes = new CopyOnWriteArrayList<>();
    private final long sleepMillisPerCall;

    public TextStatsTask() {
        this(0);
    }

    public TextStatsTask(long sleepMillisPerCall) {
        this.sleepMillisPerCall = sleepMillisPerCall;
    }

    @Override
    public String name() {
        return "text-stats";
    }

    @Override
    public String modelId() {
        return "test/text-stats";
    }

    @Override
    public int countTokens(String text) {
        if (text.contains(UNTOKENIZABLE_MARKER)) {
            throw new IllegalStateException("Test task cannot tokenize this text.");
        }
        return words(text) + 2;
    }

    @Override
    public List<ObjectNode> run(List<String> texts) {
        callSizes.add(texts.size());
        if (sleepMillisPerCall > 0) {
            try {
                Thread.sleep(sleepMillisPerCall);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (String text : texts) {
            if (text.contains(FAIL_MARKER)) {
                throw new IllegalArgumentException("Test task refuses a text with the fail marker.");
            }
        }
        var results = new ArrayList<ObjectNode>(texts.size());
        for (String text : texts) {
            results.add(stats(text));
        }
        return results;
    }

    /** What this task returns for one text; tests compute expectations with it. */
    public static ObjectNode stats(String text) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("length", text.codePointCount(0, text.length()));
        var crc = new CRC32();
        crc.update(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        node.put("crc32", Long.toHexString(crc.getValue()));
        node.put("label", words(text) > 5 ? "long" : "short");
        if (text.contains(NAN_MARKER)) {
            node.put("score", Double.NaN);
        }
        return node;
    }

    /** Sizes of all {@link #run} calls so far, in order. */
    public List<Integer> callSizes() {
        return List.copyOf(callSizes);
    }

    private static int words(String text) {
        String trimmed = text.strip();
        return trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
    }
}
