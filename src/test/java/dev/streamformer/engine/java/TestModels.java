package dev.streamformer.engine.java;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.streamformer.engine.TokenBatch;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Finds the real models and data the engine tests run on, and tokenizes with Hugging Face tokenizers (DJL). */
final class TestModels {

    static final Path SHARED = Path.of("../shared");

    private TestModels() {}

    /** A model: its .onnx file and its tokenizer.json. */
    record Model(String name, Path onnx, Path tokenizerJson) {}

    /**
     * A LangChain4j model jar's {@code <name>.onnx} and {@code <name>-tokenizer.json}, copied from the test classpath
     * into {@code target/test-models/<name>/} (a directory without config.json, as the engine meets them in production).
     */
    static Model fromClasspath(String name) {
        Path dir = Path.of("target/test-models", name);
        return new Model(name, extract("/" + name + ".onnx", dir), extract("/" + name + "-tokenizer.json", dir));
    }

    /** The fine-tuned SST-2 classifier in ../shared/models/sst2-minilm (ONNX + config.json). */
    static Model sst2() {
        Path dir = SHARED.resolve("models/sst2-minilm");
        assertTrue(Files.exists(dir.resolve("model.onnx")), "missing " + dir.toAbsolutePath() + "/model.onnx: the tests need ../shared");
        return new Model("sst2-minilm", dir.resolve("model.onnx"), dir.resolve("tokenizer.json"));
    }

    private static Path extract(String resource, Path dir) {
        Path target = dir.resolve(resource.substring(1));
        if (Files.exists(target)) return target;
        try (InputStream in = TestModels.class.getResourceAsStream(resource)) {
            assertTrue(in != null, resource + " is not on the test classpath: the LangChain4j model jars must be in ~/.m2");
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "part", ".tmp");
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The 872 sentences of SST-2 dev, in file order. */
    static List<String> sst2Dev() throws IOException {
        Path tsv = SHARED.resolve("data/sst2/dev.tsv");
        assertTrue(Files.exists(tsv), "missing " + tsv.toAbsolutePath() + ": the tests need ../shared");
        List<String> lines = Files.readAllLines(tsv);
        List<String> texts = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) texts.add(line.substring(0, line.indexOf('\t')).strip());
        return texts;
    }

    /** A Hugging Face tokenizer for the file, truncating at 128 tokens and not padding (we pad per batch). */
    static HuggingFaceTokenizer tokenizer(Path tokenizerJson) throws IOException {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
        return HuggingFaceTokenizer.builder().optTokenizerPath(tokenizerJson)
                .optPadding(false).optTruncation(true).optMaxLength(128).build();
    }

    /** Tokenizes and right-pads a batch of texts to its longest member. */
    static TokenBatch batch(HuggingFaceTokenizer tokenizer, List<String> texts) {
        int[][] ids = new int[texts.size()][];
        int[][] types = new int[texts.size()][];
        for (int i = 0; i < texts.size(); i++) {
            Encoding e = tokenizer.encode(texts.get(i));
            int len = 0;
            for (long m : e.getAttentionMask()) len += (int) m;
            ids[i] = new int[len];
            types[i] = new int[len];
            for (int j = 0; j < len; j++) {
                ids[i][j] = (int) e.getIds()[j];
                types[i][j] = (int) e.getTypeIds()[j];
            }
        }
        return TokenBatch.pad(ids, types, 0);
    }
}
