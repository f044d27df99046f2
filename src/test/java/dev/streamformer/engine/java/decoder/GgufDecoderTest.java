package dev.streamformer.engine.java.decoder;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamformer.engine.LanguageModel;
import dev.streamformer.tensor.GgmlType;
import dev.streamformer.tensor.GgufFile;
import dev.streamformer.tensor.GgufWriter;
import dev.streamformer.tensor.Q8Matrix;
import dev.streamformer.task.generate.Generation;
import dev.streamformer.task.generate.GenerationConfig;
import dev.streamformer.task.generate.Generator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GGUF files written from the tiny decoders' safetensors by {@link HfToGguf} (llama.cpp's converter, q/k permutation
 * and llama3 {@code rope_freqs} included): the values read back equal the source, and generation from them equals the
 * independent references of ../shared/reference/ref_tiny-decoders_greedy.jsonl.
 */
class GgufDecoderTest {

    @TempDir
    static Path dir;

    private static final Map<String, HfToGguf.Converted> FILES = new ConcurrentHashMap<>();

    static HfToGguf.Converted gguf(String model, GgmlType type) {
        return FILES.computeIfAbsent(model + "-" + type, name -> {
            try {
                return HfToGguf.convert(Reference.model(model), dir.resolve(name + ".gguf"), type);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Test
    void anF32FileReadsBackTheSourceValuesExactly() {
        HfToGguf.Converted f32 = gguf("tiny-llama3", GgmlType.F32);
        try (GgufFile g = GgufFile.open(f32.file())) {
            assertEquals("llama", g.string("general.architecture"));
            assertEquals(32, g.integer("llama.embedding_length"));
            assertEquals(500000.0, g.number("llama.rope.freq_base", 0));
            for (var e : f32.sourceValues().entrySet()) assertArrayEquals(e.getValue(), g.floats(e.getKey()), e.getKey());
            assertEquals(15, f32.sourceValues().size(), "token_embd + 2 layers × 7 matrices");
        }
    }

    @Test
    void theQkPermutationPairsHuggingFacesRotateHalfFeaturesAsNeighbours() {
        // one head of 8 features: HF's rotate_half pairs (0,4) (1,5) (2,6) (3,7); after the permutation they are rows
        // (0,1) (2,3) (4,5) (6,7), which GgufDecoder rotates as neighbours
        float[] rows = {0, 1, 2, 3, 4, 5, 6, 7};
        assertArrayEquals(new float[] {0, 4, 1, 5, 2, 6, 3, 7}, HfToGguf.permute(rows, 8, 1, 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-llama3", "tiny-qwen2", "tiny-qwen3"})
    void anF32FileGeneratesTheReferenceIds(String name) {
        LanguageModel model = LanguageModels.load(gguf(name, GgmlType.F32).file());
        List<JsonNode> rows = HuggingFaceDecoderTest.rows(name);
        float worst = 0;
        List<int[]> prompts = new ArrayList<>();
        for (JsonNode row : rows) {
            int[] prompt = Reference.ints(row.get("prompt_ids"));
            prompts.add(prompt);
            float[] logits = DecoderAsserts.firstLogits(model, prompt);
            JsonNode top = row.get("first_step_top10");
            for (int k = 0; k < top.get("ids").size(); k++) {
                float expected = (float) top.get("logits").get(k).asDouble();
                float actual = logits[top.get("ids").get(k).asInt()];
                assertEquals(expected, actual, 1e-4f, name + ": first-step logit");
                worst = Math.max(worst, Math.abs(expected - actual));
            }
        }
        List<Generation> batched = new Generator(model, null).generate(prompts, GenerationConfig.greedy(16), null);
        for (int i = 0; i < rows.size(); i++) {
            assertArrayEquals(Reference.ints(rows.get(i).get("greedy_ids")), batched.get(i).tokens(), name + " row " + i);
        }
        System.out.printf("%s from GGUF F32: %d/%d rows greedy-identical, first-step top-10 max |diff| %.2e%n",
                name, rows.size(), rows.size(), worst);
    }

    @ParameterizedTest
    @ValueSource(strings = {"BF16", "F16"})
    void halfPrecisionFilesOfTheBf16CheckpointGenerateTheReferenceIds(String type) {
        // tiny-llama3 is stored in bf16, so a BF16 file holds its weights exactly; F16 rounds only values below its
        // normal range (|w| < 6.1e-5, which lose mantissa bits)
        HfToGguf.Converted half = gguf("tiny-llama3", GgmlType.valueOf(type));
        try (GgufFile g = GgufFile.open(half.file())) {
            for (var e : half.sourceValues().entrySet()) {
                float[] expected = e.getValue().clone();
                if (type.equals("F16")) for (int i = 0; i < expected.length; i++) expected[i] = Float.float16ToFloat(Float.floatToFloat16(expected[i]));
                assertArrayEquals(expected, g.floats(e.getKey()), type + " " + e.getKey());
            }
        }
        List<JsonNode> rows = HuggingFaceDecoderTest.rows("tiny-llama3");
        List<int[]> prompts = new ArrayList<>();
        for (JsonNode row : rows) prompts.add(Reference.ints(row.get("prompt_ids")));
        // fp32 in memory, and (--quantize bf16) the BF16 matrices kept as stored
        for (Quantization q : type.equals("BF16") ? List.of(Quantization.NONE, Quantization.BF16) : List.of(Quantization.NONE)) {
            LanguageModel model = LanguageModels.load(half.file(), q);
            List<Generation> out = new Generator(model, null).generate(prompts, GenerationConfig.greedy(16), null);
            for (int i = 0; i < rows.size(); i++) {
                assertArrayEquals(Reference.ints(rows.get(i).get("greedy_ids")), out.get(i).tokens(), type + " as " + q + ", row " + i);
            }
        }
    }

    @Test
    void endOfSequenceIdsAreTheEosIdAndTheEndOfTurnTokens() {
        // GGUF keeps one eos id (128009, <|eot_id|>); <|end_of_text|> (128001) ends a turn by its text, as in llama.cpp.
        // config.json also lists 128008, which in this (Llama 3) vocabulary is <|reserved_special_token_4|>: a list
        // of ids that GGUF cannot carry, so a GGUF file does not stop there
        int[] ids = LanguageModels.load(gguf("tiny-llama3", GgmlType.F32).file()).eosIds();
        Arrays.sort(ids);
        assertArrayEquals(new int[] {128001, 128009}, ids);
    }

    @Test
    void q8_0BlocksAreTheBlocksOurOwnQuantizerMakes() {
        HfToGguf.Converted q8 = gguf("tiny-llama3", GgmlType.Q8_0);
        try (GgufFile g = GgufFile.open(q8.file())) {
            assertEquals(64, g.integer("general.alignment"));
            for (var e : q8.sourceValues().entrySet()) {
                GgufFile.TensorInfo info = g.info(e.getKey());
                assertEquals(GgmlType.Q8_0, info.type());
                Q8Matrix ours = Q8Matrix.quantize(e.getValue(), info.rows(), info.cols());
                Q8Matrix read = g.q8(e.getKey());
                float[] dequantized = g.floats(e.getKey());
                for (int r = 0; r < info.rows(); r++) {
                    for (int c = 0; c < info.cols(); c++) {
                        assertEquals(ours.get(r, c), read.get(r, c), e.getKey() + "[" + r + ", " + c + "]");
                        assertEquals(ours.get(r, c), dequantized[r * info.cols() + c], e.getKey() + " dequantized");
                    }
                }
            }
        }
    }

    @Test
    void q4_0ValuesAreWhatTheFormatDefinesAndCloseToTheSource() {
        HfToGguf.Converted q4 = gguf("tiny-llama3", GgmlType.Q4_0);
        try (GgufFile g = GgufFile.open(q4.file())) {
            for (var e : q4.sourceValues().entrySet()) {
                float[] expected = dequantizeQ4_0(q4.tensors().get(e.getKey()));
                float[] read = g.floats(e.getKey());
                assertArrayEquals(expected, read, e.getKey());
                float[] source = e.getValue();
                for (int b = 0; b < source.length / 32; b++) {
                    float amax = 0;
                    for (int i = 0; i < 32; i++) amax = Math.max(amax, Math.abs(source[32 * b + i]));
                    for (int i = 0; i < 32; i++) {   // a step is amax / 8 (fp16-rounded): no value is off by more than one
                        assertTrue(Math.abs(read[32 * b + i] - source[32 * b + i]) <= amax / 8 * 1.001f + 1e-7f, e.getKey());
                    }
                }
            }
        }
    }

    /** ggml's {@code dequantize_row_q4_0}, from the block layout: fp16 d, then x[j] = d·(lo(q[j]) − 8), x[j+16] = d·(hi(q[j]) − 8). */
    private static float[] dequantizeQ4_0(GgufWriter.Written t) {
        ByteBuffer b = ByteBuffer.wrap(t.data()).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[t.data().length / 18 * 32];
        for (int block = 0; block < out.length / 32; block++) {
            float d = Float.float16ToFloat(b.getShort());
            for (int j = 0; j < 16; j++) {
                int q = b.get() & 0xFF;
                out[block * 32 + j] = ((q & 0xF) - 8) * d;
                out[block * 32 + j + 16] = ((q >> 4) - 8) * d;
            }
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"Q8_0", "Q4_0"})
    void quantizedFilesAgreeWithTheReferenceThisOften(String type) {
        LanguageModel model = LanguageModels.load(gguf("tiny-llama3", GgmlType.valueOf(type)).file());
        List<JsonNode> rows = HuggingFaceDecoderTest.rows("tiny-llama3");
        int agree = 0, total = 0, top1 = 0;
        List<int[]> prompts = new ArrayList<>();
        for (JsonNode row : rows) prompts.add(Reference.ints(row.get("prompt_ids")));
        List<Generation> out = new Generator(model, null).generate(prompts, GenerationConfig.greedy(16), null);
        for (int i = 0; i < rows.size(); i++) {
            int[] expected = Reference.ints(rows.get(i).get("greedy_ids"));
            int same = 0;
            while (same < expected.length && out.get(i).tokens()[same] == expected[same]) same++;
            agree += same;
            total += expected.length;
            if (same > 0) top1++;
        }
        System.out.printf("tiny-llama3 from GGUF %s: greedy agreement %d/%d tokens (up to the first difference), first token %d/%d%n",
                type, agree, total, top1, rows.size());
        // random weights at hidden 32 have first-step margins of 5e-4 (min_margin): quantization noise flips some
        assertTrue(agree > 0, type + ": no token agrees with the reference");
    }

    @Test
    void refusesAnArchitectureItDoesNotRun(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("gemma.gguf");
        new GgufWriter().put("general.architecture", "gemma2").write(file);
        var e = assertThrows(IllegalArgumentException.class, () -> LanguageModels.load(file));
        assertTrue(e.getMessage().contains("general.architecture 'gemma2'") && e.getMessage().contains("llama, qwen2, qwen3"),
                e.getMessage());
    }
}
