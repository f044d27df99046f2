package dev.streamformer.engine.java;

import dev.streamformer.engine.Engine;
import dev.streamformer.engine.TokenBatch;
import dev.streamformer.tensor.OnnxModelFile;
import dev.streamformer.tensor.SafeTensors;
import dev.streamformer.tensor.Tensor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
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
     * Loads a BERT-style encoder (BERT, RoBERTa, XLM-R) from a model directory, an {@code .onnx} file or a {@code .safetensors} file.
     * A directory's {@code model.safetensors} is preferred when a {@code config.json} describes it; otherwise its
     * {@code .onnx} file is read. The shape comes from {@code config.json} beside the weights when there is one,
     * else (ONNX only) from the graph itself.
     */
    public static JavaEngine load(Path path) throws IOException {
        Path weightsFile = Files.isDirectory(path) ? pickWeights(path) : path;
        String fileName = weightsFile.getFileName().toString();
        Path configJson = weightsFile.resolveSibling("config.json");
        long t0 = System.nanoTime();
        TransformerEncoder model;
        if (fileName.endsWith(".safetensors")) {
            if (!Files.exists(configJson)) {
                throw new IllegalArgumentException(weightsFile + " needs a config.json beside it to say the encoder's shape");
            }
            EncoderConfig config = EncoderConfig.fromJson(configJson);
            try (SafeTensors file = SafeTensors.open(weightsFile)) {
                model = TransformerEncoder.load(new SafeTensorsWeightSource(file), config);
            }
        } else if (fileName.endsWith(".onnx")) {
            OnnxWeightSource weights = new OnnxWeightSource(OnnxModelFile.read(weightsFile));
            EncoderConfig config = Files.exists(configJson) ? EncoderConfig.fromJson(configJson) : weights.inferConfig();
            weights.checkPositionIds(config);
            model = TransformerEncoder.load(weights, config);
        } else {
            throw new IllegalArgumentException("the java engine reads .onnx or .safetensors weights; " + path + " is neither, nor a directory holding one");
        }
        log.info("java engine loaded {} in {} ms: {}", weightsFile.getFileName(), (System.nanoTime() - t0) / 1_000_000, model.config);
        return new JavaEngine(model);
    }

    private static Path pickWeights(Path dir) throws IOException {
        if (Files.exists(dir.resolve("model.safetensors")) && Files.exists(dir.resolve("config.json"))) {
            return dir.resolve("model.safetensors");
        }
        if (Files.exists(dir.resolve("model.onnx"))) return dir.resolve("model.onnx");
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> onnx = files.filter(p -> p.getFileName().toString().endsWith(".onnx")).sorted().toList();
            if (onnx.size() != 1) {
                throw new IllegalArgumentException(dir + " holds no model.safetensors with config.json and " + onnx.size()
                        + " .onnx files; name the file to load");
            }
            return onnx.getFirst();
        }
    }

    public EncoderConfig config() { return model.config; }

    @Override
    public String name() { return "java"; }

    @Override
    public boolean computesPadding() { return false; }   // rows are packed: padding costs nothing

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
        EncoderConfig c = model.config;
        PackedBatch packed = PackedBatch.of(batch);
        if (packed.maxLength() > c.maxSequenceLength()) {
            throw new IllegalArgumentException("a sequence of " + packed.maxLength() + " tokens is longer than the model's "
                    + c.maxSequenceLength() + " positions; truncate the input");
        }
        EncoderState s = state.get();
        float[] logits = model.forward(packed, s, attentionWeights);    // (batch, labels) or null
        int t = batch.seqLen();
        float[] hidden = new float[batch.batchSize() * t * c.hidden()];  // (batch, T, hidden), 0 at padding
        for (int b = 0; b < packed.sequences(); b++) {
            System.arraycopy(s.x, packed.start(b) * c.hidden(), hidden, b * t * c.hidden(), packed.length(b) * c.hidden());
        }
        Tensor hiddenStates = new Tensor(hidden, new int[] {batch.batchSize(), t, c.hidden()});
        if (logits == null) return new Output(hiddenStates, null);
        if (!model.classifiesTokens()) {
            return new Output(hiddenStates, new Tensor(logits, new int[] {batch.batchSize(), logits.length / Math.max(1, batch.batchSize())}));
        }
        int labels = c.numLabels();
        float[] perToken = new float[batch.batchSize() * t * labels];   // (batch, T, labels), 0 at padding
        for (int b = 0; b < packed.sequences(); b++) {
            System.arraycopy(logits, packed.start(b) * labels, perToken, b * t * labels, packed.length(b) * labels);
        }
        return new Output(hiddenStates, new Tensor(perToken, new int[] {batch.batchSize(), t, labels}));
    }
}
