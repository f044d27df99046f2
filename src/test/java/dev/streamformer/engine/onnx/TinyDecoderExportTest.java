package dev.streamformer.engine.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import dev.streamformer.engine.java.decoder.Reference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Proves the test export before the decoder is tested on it: a plain ORT session (no {@link OnnxLanguageModel}) runs
 * each reference prompt with an empty cache, and the last position's logits must equal the reference's first-step top 10
 * (a numpy port of the Hugging Face modeling code) within 1e-4.
 */
class TinyDecoderExportTest {

    static final java.util.List<String> MODELS = TinyDecoderExports.MODELS;

    @ParameterizedTest
    @FieldSource("MODELS")
    void firstStepLogitsOfTheExportMatchTheReference(String model) throws Exception {
        Path folder = TinyDecoderExports.folder(model);
        Path onnx = Files.isRegularFile(folder.resolve("model.onnx")) ? folder.resolve("model.onnx")
                : folder.resolve("onnx").resolve("model.onnx");
        var config = new com.fasterxml.jackson.databind.ObjectMapper().readTree(folder.resolve("config.json").toFile());
        int layers = config.get("num_hidden_layers").asInt(), kvHeads = config.get("num_key_value_heads").asInt();
        int headDim = config.has("head_dim") ? config.get("head_dim").asInt()
                : config.get("hidden_size").asInt() / config.get("num_attention_heads").asInt();
        int vocab = config.get("vocab_size").asInt();
        OrtEnvironment env = OrtRuntime.environment();
        float worst = 0;
        int compared = 0;
        try (OrtSession session = env.createSession(onnx.toString())) {
            for (JsonNode row : TinyDecoderExports.rows(model)) {
                int[] prompt = Reference.ints(row.get("prompt_ids"));
                int n = prompt.length;
                long[] ids = new long[n], ones = new long[n], positions = new long[n];
                for (int i = 0; i < n; i++) {
                    ids[i] = prompt[i];
                    ones[i] = 1;
                    positions[i] = i;
                }
                Map<String, OnnxTensor> feed = new HashMap<>();
                try {
                    feed.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), new long[] {1, n}));
                    feed.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(ones), new long[] {1, n}));
                    feed.put("position_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(positions), new long[] {1, n}));
                    for (int l = 0; l < layers; l++) {
                        for (String part : new String[] {"key", "value"}) {
                            feed.put("past_key_values." + l + "." + part,
                                    OnnxTensor.createTensor(env, FloatBuffer.allocate(0), new long[] {1, kvHeads, 0, headDim}));
                        }
                    }
                    try (OrtSession.Result result = session.run(feed)) {
                        OnnxTensor logits = (OnnxTensor) result.get("logits").orElseThrow();
                        assertArrayEquals(new long[] {1, n, vocab}, logits.getInfo().getShape(), "logits shape");
                        assertArrayEquals(new long[] {1, kvHeads, n, headDim},
                                ((OnnxTensor) result.get("present." + (layers - 1) + ".value").orElseThrow()).getInfo().getShape(),
                                "present shape");
                        FloatBuffer all = logits.getFloatBuffer();
                        float[] last = new float[vocab];
                        all.get((n - 1) * vocab, last, 0, vocab);
                        worst = Math.max(worst, OnnxAsserts.assertTop10(row.get("first_step_top10"), last, 1e-4f, model));
                        compared++;
                    }
                } finally {
                    feed.values().forEach(OnnxTensor::close);
                }
            }
        }
        assertEquals(13, compared);
        System.out.printf("%s export: first-step top-10 logits max |diff| %.2e over %d prompts%n", model, worst, compared);
    }
}
