package dev.streamformer.engine.java;

import dev.streamformer.engine.Engine;
import dev.streamformer.engine.TokenBatch;
import dev.streamformer.tensor.OnnxModelFile;
import dev.streamformer.tensor.Tensor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Streamformer's own Transformer encoder as an {@link Engine}: {@code --engine java}.
 *
 * <p>Weights are loaded once and only read afterwards, so one instance serves every stream thread; each calling
 * thread gets its own {@link EncoderState} scratch, reused from batch to batch.
 */
public final class JavaEngine implements Engine {

    private static final Logger log = LoggerFactory.getLogger(JavaEngine.class);

    private final TransformerEncoder model;
    private final ThreadLocal<EncoderState> state;

    private JavaEngine(TransformerEncoder model) {
        this.model = model;
        this.state = ThreadLocal.withInitial(() -> new EncoderState(model.config));
    }

    /**
     * Loads a BERT-style encoder from an {@code .onnx} file or a model directory holding one. The shape comes from a
     * {@code config.json} beside the weights when there is one, else from the ONNX graph itself.
     */
    public static JavaEngine load(Path path) throws IOException {
        Path onnx = Files.isDirectory(path) ? findOnnx(path) : path;
        if (!onnx.getFileName().toString().endsWith(".onnx")) {
            throw new IllegalArgumentException("the java engine reads .onnx weights; " + path + " is not an .onnx file or a directory holding one");
        }
        long t0 = System.nanoTime();
        OnnxWeightSource weights = new OnnxWeightSource(OnnxModelFile.read(onnx));
        Path configJson = onnx.resolveSibling("config.json");
        EncoderConfig config = Files.exists(configJson) ? EncoderConfig.fromJson(configJson) : weights.inferConfig();
        TransformerEncoder model = TransformerEncoder.load(weights, config);
        log.info("java engine loaded {} in {} ms: {}", onnx.getFileName(), (System.nanoTime() - t0) / 1_000_000, config);
        return new JavaEngine(model);
    }

    private static Path findOnnx(Path dir) throws IOException {
        Path preferred = dir.resolve("model.onnx");
        if (Files.exists(preferred)) return preferred;
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> onnx = files.filter(p -> p.getFileName().toString().endsWith(".onnx")).sorted().toList();
            if (onnx.size() != 1) {
                throw new IllegalArgumentException(dir + " holds " + onnx.size() + " .onnx files; name the one to load");
            }
            return onnx.getFirst();
        }
    }

    public EncoderConfig config() { return model.config; }

    @Override
    public String name() { return "java"; }

    @Override
    public Output run(TokenBatch batch) {
        return forward(batch, null);
    }

    /**
     * What {@link #run} returns, plus the attention weights of every layer.
     *
     * @param attentions one tensor per layer, {@code [batch, heads, T, T]}: row {@code i} of a head is how much
     *                   query token {@code i} attends to each key token (rows and columns of padding are 0)
     */
    public record OutputWithAttention(Output output, List<Tensor> attentions) {}

    /** Runs the batch and keeps the attention weights (costs memory; {@link #run} skips them). */
    public OutputWithAttention runWithAttention(TokenBatch batch) {
        EncoderConfig c = model.config;
        int t = batch.seqLen();
        float[][] weights = new float[c.layers()][batch.batchSize() * c.heads() * t * t];
        Output out = forward(batch, weights);
        List<Tensor> attentions = new ArrayList<>();
        for (float[] w : weights) attentions.add(new Tensor(w, new int[] {batch.batchSize(), c.heads(), t, t}));
        return new OutputWithAttention(out, List.copyOf(attentions));
    }

    private Output forward(TokenBatch batch, float[][] attentionWeights) {
        PackedBatch packed = new PackedBatch(batch);
        if (packed.maxLength() > model.config.maxPositions()) {
            throw new IllegalArgumentException("a sequence of " + packed.maxLength() + " tokens is longer than the model's "
                    + model.config.maxPositions() + " positions; truncate the input");
        }
        EncoderState s = state.get();
        float[] logits = model.forward(packed, s, attentionWeights);
        return new Output(unpack(packed, s.x), logits == null ? null
                : new Tensor(logits, new int[] {batch.batchSize(), logits.length / batch.batchSize()}));
    }

    /** Packed {@code [tokens, hidden]} back to padded {@code [batch, T, hidden]}, zeros at padding. */
    private Tensor unpack(PackedBatch batch, float[] x) {
        int h = model.config.hidden();
        int t = batch.paddedLength();
        float[] out = new float[batch.sequences() * t * h];
        for (int b = 0; b < batch.sequences(); b++) {
            System.arraycopy(x, batch.start(b) * h, out, b * t * h, batch.length(b) * h);
        }
        return new Tensor(out, new int[] {batch.sequences(), t, h});
    }
}
