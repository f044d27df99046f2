package dev.streamformer.engine.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.streamformer.engine.Engine;
import dev.streamformer.engine.TokenBatch;
import dev.streamformer.model.ModelLoadException;
import dev.streamformer.tensor.Tensor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Runs an encoder exported to ONNX on ONNX Runtime.
 *
 * <p>One {@link OrtSession} per model per JVM: ORT sessions are thread-safe for concurrent {@code run} calls, so every
 * stream thread shares it. The engine feeds only the inputs the graph declares ({@code token_type_ids} is optional) and
 * reads {@code last_hidden_state} and/or {@code logits} by name (falling back to the first output by its rank).
 */
public final class OnnxEngine implements Engine {

    private static final Logger log = LoggerFactory.getLogger(OnnxEngine.class);

    private final OrtEnvironment env;
    private final OrtSession session;
    private final boolean wantsTokenTypes;
    private final String hiddenOutput;
    private final String logitsOutput;

    /** Where ORT should run. */
    public enum Device { CPU, CUDA }

    public OnnxEngine(Path onnxFile, int intraOpThreads, Device device) {
        this.env = OrtRuntime.environment();
        this.session = OrtRuntime.open(env, onnxFile, intraOpThreads, device);
        try {
            Map<String, NodeInfo> inputs = session.getInputInfo();
            for (String required : new String[]{"input_ids", "attention_mask"}) {
                if (!inputs.containsKey(required)) {
                    throw new ModelLoadException(onnxFile + " has no input '" + required + "' (it has " + inputs.keySet()
                            + "): export the model with input_ids and attention_mask inputs.");
                }
            }
            this.wantsTokenTypes = inputs.containsKey("token_type_ids");
            Map<String, NodeInfo> outputs = session.getOutputInfo();
            this.hiddenOutput = pickOutput(outputs, "last_hidden_state", 3).orElse(null);
            this.logitsOutput = pickOutput(outputs, "logits", 2).orElse(null);
            if (hiddenOutput == null && logitsOutput == null) {
                throw new ModelLoadException(onnxFile + " has neither a [batch, seq, hidden] nor a [batch, labels] output (it has "
                        + outputs.keySet() + "): export the encoder with last_hidden_state or logits.");
            }
            log.info("ONNX Runtime loaded {} (inputs {}, hidden={}, logits={}, device={})", onnxFile.getFileName(),
                    inputs.keySet(), hiddenOutput, logitsOutput, device);
        } catch (OrtException e) {
            throw new ModelLoadException(onnxFile + " has unreadable input/output metadata (" + e.getMessage() + ").", e);
        }
    }

    private static Optional<String> pickOutput(Map<String, NodeInfo> outputs, String preferred, int rank) {
        if (outputs.containsKey(preferred)) return Optional.of(preferred);
        return outputs.entrySet().stream()
                .filter(e -> e.getValue().getInfo() instanceof TensorInfo t && t.getShape().length == rank)
                .map(Map.Entry::getKey)
                .findFirst();
    }

    @Override
    public String name() { return "onnx"; }

    /** True when the graph gives hidden states (an encoder); false for a classifier that only gives logits. */
    public boolean hasHiddenStates() { return hiddenOutput != null; }

    public boolean hasLogits() { return logitsOutput != null; }

    @Override
    public Output run(TokenBatch batch) {
        long[] shape = {batch.batchSize(), batch.seqLen()};
        Map<String, OnnxTensor> feed = new HashMap<>();
        try {
            feed.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(batch.inputIds()), shape));
            feed.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(batch.attentionMask()), shape));
            if (wantsTokenTypes) {
                feed.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(batch.tokenTypeIds()), shape));
            }
            try (OrtSession.Result result = session.run(feed)) {
                Tensor hidden = hiddenOutput == null ? null : read(result, hiddenOutput);
                Tensor logits = logitsOutput == null ? null : read(result, logitsOutput);
                return new Output(hidden, logits);
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on a batch of " + batch.batchSize() + " x " + batch.seqLen()
                    + " tokens: " + e.getMessage(), e);
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }

    private static Tensor read(OrtSession.Result result, String name) throws OrtException {
        OnnxValue value = result.get(name).orElseThrow();
        OnnxTensor tensor = (OnnxTensor) value;
        long[] dims = tensor.getInfo().getShape();
        int[] shape = new int[dims.length];
        for (int i = 0; i < dims.length; i++) shape[i] = Math.toIntExact(dims[i]);
        FloatBuffer buffer = tensor.getFloatBuffer();
        float[] data = new float[buffer.remaining()];
        buffer.get(data);
        return new Tensor(data, shape);
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            log.warn("Closing the ONNX session failed: {}", e.getMessage());
        }
    }
}
