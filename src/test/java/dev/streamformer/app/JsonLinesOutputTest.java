package dev.streamformer.app;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamformer.task.EmbedTask;
import dev.streamformer.task.EngineOptions;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What {@code streamformer embed} writes, checked against independent readers and writers: every float comes back
 * exactly, and on a real model each output line is the line a plain Jackson mapper writes for the input event plus the
 * in-memory call's vector (the path the command took before its stages ran in parallel).
 */
class JsonLinesOutputTest {

    private static final ObjectMapper PLAIN = new ObjectMapper();

    @Test
    void everyFloatWrittenParsesBackToTheSameFloat() throws Exception {
        Random random = new Random(15);
        int lines = 600, perLine = 384;
        float[][] vectors = new float[lines][perLine];
        for (float[] v : vectors) {
            for (int i = 0; i < perLine; i++) {
                float x;
                do x = Float.intBitsToFloat(random.nextInt()); while (!Float.isFinite(x));   // any finite float, subnormals included
                v[i] = i % 2 == 0 ? x : (float) (random.nextGaussian() * 0.05);            // and values like an embedding's
            }
        }
        float[] edges = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE, 1f, 0.1f, 1e7f, 1e-3f};
        System.arraycopy(edges, 0, vectors[0], 0, edges.length);

        StringBuilder input = new StringBuilder();
        for (int i = 0; i < lines; i++) input.append("{\"text\":\"").append(i).append("\"}\n");
        var bytes = new ByteArrayOutputStream();
        new JsonLines("text", 1024, false, new Progress(System.err, false), String::length, "m")
                .run(new ByteArrayInputStream(input.toString().getBytes(StandardCharsets.UTF_8)),
                        new PrintStream(bytes, false, StandardCharsets.UTF_8), texts -> {
                            List<ObjectNode> out = new ArrayList<>();
                            for (String t : texts) {
                                ObjectNode fields = JsonNodeFactory.instance.objectNode();
                                ArrayNode array = fields.putArray("embedding");
                                for (float x : vectors[Integer.parseInt(t)]) array.add(x);
                                out.add(fields);
                            }
                            return out;
                        });

        String[] written = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(lines, written.length);
        for (int l = 0; l < lines; l++) {
            try (JsonParser p = PLAIN.createParser(written[l])) {
                while (p.nextToken() != JsonToken.START_ARRAY) { /* to the embedding */ }
                for (int i = 0; i < perLine; i++) {
                    assertEquals(JsonToken.VALUE_NUMBER_FLOAT, p.nextToken());
                    float expected = vectors[l][i];
                    String text = p.getText();
                    assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(Float.parseFloat(text)), "Java reads back " + text);
                    assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(p.getFloatValue()), "Jackson reads back " + text);
                }
                assertEquals(JsonToken.END_ARRAY, p.nextToken());
            }
        }
    }

    @Test
    void onARealModelEachLineIsTheInputEventWithTheInMemoryVectorAndTheModel() throws Exception {
        List<String> texts = TextFile.read(Path.of("../shared/data/sst2/train.tsv"), 700);
        try (EmbedTask task = EmbedTask.load("all-minilm-l6-v2", EngineOptions.DEFAULT)) {
            StringBuilder input = new StringBuilder();
            List<Map<String, Object>> events = new ArrayList<>();
            for (int i = 0; i < texts.size(); i++) {
                Map<String, Object> event = new LinkedHashMap<>();
                event.put("id", i);
                event.put("text", texts.get(i));
                events.add(event);
                input.append(PLAIN.writeValueAsString(event)).append('\n');
            }
            var bytes = new ByteArrayOutputStream();
            int exit = new JsonLines(new LineOptions(), new Progress(System.err, false), null, null, task.input())
                    .run(new ByteArrayInputStream(input.toString().getBytes(StandardCharsets.UTF_8)),
                            new PrintStream(bytes, false, StandardCharsets.UTF_8), task);
            assertEquals(0, exit);

            float[][] vectors = task.embed(texts);   // all at once, like the one chunk these lines make: the same batches
            StringBuilder expected = new StringBuilder();
            for (int i = 0; i < texts.size(); i++) {
                Map<String, Object> event = events.get(i);
                event.put("embedding", vectors[i]);   // a float[]: Jackson's own array serializer
                event.put("model", task.modelId());
                expected.append(PLAIN.writeValueAsString(event)).append('\n');
            }
            assertEquals(expected.toString(), bytes.toString(StandardCharsets.UTF_8));
        }
    }
}
