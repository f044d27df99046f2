package dev.streamformer.task.generate;

import com.github.tjake.jlama.model.AbstractModel;
import com.github.tjake.jlama.model.ModelSupport;
import com.github.tjake.jlama.model.functions.Generator.Response;
import com.github.tjake.jlama.safetensors.DType;
import com.github.tjake.jlama.safetensors.SafeTensorSupport;
import com.github.tjake.jlama.safetensors.prompt.PromptContext;
import com.github.tjake.jlama.tensor.AbstractTensor;
import com.github.tjake.jlama.tensor.KvBufferCache;
import com.github.tjake.jlama.tensor.operations.TensorOperationsProvider;
import com.github.tjake.jlama.util.PhysicalCoreExecutor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Jlama (com.github.tjake:jlama-core, pure Java on the Vector API, optionally jlama-native's C kernels) running a
 * Hugging Face Llama folder: the peer {@code streamformer bench generate --random-llama} races.
 *
 * <p>Loaded as Jlama's README shows, {@code ModelSupport.loadModel(dir, DType.F32, DType.I8)}: working memory F32,
 * I8 as the quantized working type. On unquantized weights Jlama keeps them in the file's dtype and computes with
 * activations of that dtype (its constructor overrides I8 to F32 for an F32 file, to BF16 for a BF16 one).
 * {@link Weights#Q4} is the README's speed recipe ({@code quantize -q Q4}, then {@code -wq I8}): Jlama's own quantizer
 * writes a Q4 copy of the folder once (embeddings and LM head stay as stored, as in Jlama's tests), and Jlama multiplies
 * its Q4 blocks with I8-quantized activations. Jlama 0.8.4 cannot quantize a Llama at load (its layer weights load as
 * sparse tensors, which it leaves unquantized) and its Java kernels have no I8 (Q8) weight path, so Q4 is its only
 * quantized option.
 *
 * <p>Kernels: Jlama picks jlama-native's when the library loads, unless the system property
 * {@value #FORCE_PANAMA} is true; it decides once per JVM. {@link #describe()} says which it got.
 *
 * <p>Timing goes through Jlama's public {@code generate} (the call a user makes): one prompt per call, greedy
 * (temperature 0). Jlama 0.8.4 has no batched generation: several prompts run one after another.
 */
final class JlamaPeer implements AutoCloseable {

    /** Jlama's switch to its pure-Java (Panama Vector API) kernels even when jlama-native is on the class path. */
    static final String FORCE_PANAMA = "jlama.force_panama_tensor_operations";

    /** Which weights Jlama runs. */
    enum Weights { AS_STORED, Q4 }

    private final AbstractModel model;
    private final Weights weights;
    private final int threads;

    private JlamaPeer(AbstractModel model, Weights weights, int threads) {
        this.model = model;
        this.weights = weights;
        this.threads = threads;
    }

    /**
     * Loads {@code modelDir} (for {@link Weights#Q4}, its Q4 copy, made next to it on first use) with {@code threads}
     * worker threads. Jlama's default is half the logical CPUs, meant as the physical cores; the benchmark gives it
     * the same CPUs our engine uses.
     */
    static JlamaPeer load(Path modelDir, Weights weights, int threads) {
        useThreads(threads);
        Path dir = weights == Weights.Q4 ? q4Copy(modelDir) : modelDir;
        AbstractModel model = ModelSupport.loadModel(dir.toFile(), DType.F32, DType.I8);
        return new JlamaPeer(model, weights, PhysicalCoreExecutor.instance.get().getCoreCount());
    }

    /** Jlama's Q4 copy of {@code modelDir} ({@code <dir>-jlama-q4}), written through a temporary folder so it is whole or absent. */
    static Path q4Copy(Path modelDir) {
        Path target = modelDir.resolveSibling(modelDir.getFileName() + "-jlama-q4");
        if (Files.isRegularFile(target.resolve("model.safetensors"))) return target;
        Path partial = modelDir.resolveSibling(modelDir.getFileName() + "-jlama-q4.partial");
        try {
            deleteTree(partial);
            SafeTensorSupport.quantizeModel(modelDir, DType.Q4, new String[] {"model.embed_tokens.weight", "lm_head.weight"},
                    null, Optional.of(partial));
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("Jlama could not write a Q4 copy of " + modelDir + ": " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    /** Sizes Jlama's one thread pool per JVM: it can be set once, before the first model starts it. */
    private static synchronized void useThreads(int threads) {
        if (threadsSet) return;
        PhysicalCoreExecutor.overrideThreadCount(threads);
        threadsSet = true;
    }

    private static boolean threadsSet;

    /** What Jlama runs: weight and activation dtypes, kernels, threads. */
    String describe() {
        DType stored = model.getWeights().getModelDType();
        String w = weights == Weights.Q4 ? "Q4 (its quantizer's copy; embeddings and LM head unquantized), activations I8"
                : stored + " as stored, activations " + stored;
        return "Jlama 0.8.4: weights " + w + ", working memory " + model.getWorkingDType() + ", "
                + TensorOperationsProvider.get().name() + ", " + threads + " threads";
    }

    /** The ids Jlama feeds for {@code text}: its own tokenization, with the BOS id it always adds in front. */
    int[] promptIds(String text) {
        return model.encodePrompt(PromptContext.of(text));
    }

    /** The greedy first new token after {@code ids}: one prefill through Jlama's public batch forward and sampler. */
    int firstGreedyToken(int[] ids) {
        try (KvBufferCache cache = new KvBufferCache(model);
             KvBufferCache.KvBuffer kv = cache.getEphemeralKvBuffer();
             AbstractTensor logits = model.makeDenseTensor(model.getConfig().vocabularySize);
             AbstractTensor last = model.batchForward(ids, 0, kv)) {
            return model.sample(last.slice(last.shape().first() - 1), 0f, 0f, logits);
        }
    }

    /**
     * Generates {@code newTokens} for each text, one text per {@code generate} call, and times both phases with
     * {@link System#nanoTime()} (Jlama's own {@code Response} times are whole milliseconds): prefill ends when Jlama
     * hands over the first new token, decoding when {@code generate} returns.
     */
    GenerateBenchmark.Round round(List<String> texts, int newTokens) {
        long promptTokens = 0, prefillNanos = 0, decodeSteps = 0, decodeNanos = 0;
        for (String text : texts) {
            int promptLength = promptIds(text).length;
            long[] firstToken = {0};
            long start = System.nanoTime();
            // Jlama's ntokens counts the prompt: prefill yields the first new token, each forward step one more
            Response r = model.generate(UUID.randomUUID(), PromptContext.of(text), 0.0f, promptLength + newTokens - 1,
                    (piece, msPerToken) -> { if (firstToken[0] == 0) firstToken[0] = System.nanoTime(); });
            long end = System.nanoTime();
            long prefilled = firstToken[0] != 0 ? firstToken[0] : start + r.promptTimeMs * 1_000_000; // first token special: no callback
            promptTokens += promptLength;
            prefillNanos += prefilled - start;
            decodeSteps += r.generatedTokens;
            decodeNanos += end - prefilled;
        }
        return new GenerateBenchmark.Round(texts.size(), promptTokens, prefillNanos, texts.size() + decodeSteps, decodeSteps, decodeNanos);
    }

    @Override
    public void close() {
        model.close();
    }
}
