package dev.streamformer.engine.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.streamformer.model.ModelLoadException;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The inputs and outputs of a decoder graph in the Optimum / onnx-community layout, checked against its config:
 *
 * <pre>
 *   input_ids               int64 [batch, seq]
 *   attention_mask          int64 [batch, past + seq]
 *   position_ids            int64 [batch, seq]                       (optional: without it the graph derives positions from the mask)
 *   past_key_values.N.key   float [batch, kv_heads, past, head_dim]  (and .value), N = 0 .. layers-1
 *   logits                  float [batch, seq, vocab]
 *   present.N.key           float [batch, kv_heads, past + seq, head_dim]  (and .value)
 * </pre>
 *
 * @param pastNames    {@code [layer][0 key, 1 value]} input names
 * @param presentNames {@code [layer][0 key, 1 value]} output names
 * @param positionIds  whether the graph takes {@code position_ids}
 */
record DecoderSignature(String[][] pastNames, String[][] presentNames, boolean positionIds) {

    static final String INPUT_IDS = "input_ids", ATTENTION_MASK = "attention_mask", POSITION_IDS = "position_ids",
            LOGITS = "logits";
    private static final String[] PARTS = {"key", "value"};
    private static final String EXPORT_HINT = "use a decoder exported by Optimum with its KV cache"
            + " (optimum-cli export onnx --task text-generation-with-past) or one from onnx-community.";

    /** Reads the session's names and refuses, in one sentence, a graph this decoder cannot drive. */
    static DecoderSignature of(OrtSession session, DecoderFolder folder) {
        Path file = folder.onnxFile();
        try {
            Map<String, NodeInfo> inputs = session.getInputInfo();
            Map<String, NodeInfo> outputs = session.getOutputInfo();
            Set<String> expected = new TreeSet<>(Set.of(INPUT_IDS, ATTENTION_MASK, POSITION_IDS));
            require(file, inputs, INPUT_IDS, "input");
            require(file, inputs, ATTENTION_MASK, "input");
            require(file, outputs, LOGITS, "output");
            String[][] past = new String[folder.layers()][2], present = new String[folder.layers()][2];
            for (int l = 0; l < folder.layers(); l++) {
                for (int p = 0; p < 2; p++) {
                    past[l][p] = "past_key_values." + l + "." + PARTS[p];
                    present[l][p] = "present." + l + "." + PARTS[p];
                    checkCache(file, require(file, inputs, past[l][p], "input"), past[l][p], folder);
                    checkCache(file, require(file, outputs, present[l][p], "output"), present[l][p], folder);
                    expected.add(past[l][p]);
                }
            }
            for (String name : inputs.keySet()) {
                if (!expected.contains(name)) {
                    throw new ModelLoadException(file + " has the input '" + name + "' that a decoder with " + folder.layers()
                            + " layers (config.json) does not feed: " + EXPORT_HINT);
                }
            }
            long[] logits = ((TensorInfo) outputs.get(LOGITS).getInfo()).getShape();
            if (logits.length != 3 || (logits[2] > 0 && logits[2] != folder.vocab())) {
                throw new ModelLoadException(file + " gives logits of shape " + Arrays.toString(logits) + " where config.json"
                        + " says [batch, seq, " + folder.vocab() + "]: keep the config.json that was exported with the model.");
            }
            return new DecoderSignature(past, present, inputs.containsKey(POSITION_IDS));
        } catch (OrtException e) {
            throw new ModelLoadException(file + " has unreadable input/output metadata (" + e.getMessage() + ").", e);
        }
    }

    private static TensorInfo require(Path file, Map<String, NodeInfo> infos, String name, String kind) {
        NodeInfo info = infos.get(name);
        if (info == null || !(info.getInfo() instanceof TensorInfo tensor)) {
            throw new ModelLoadException(file + " has no tensor " + kind + " '" + name + "' (it has " + new TreeSet<>(infos.keySet())
                    + "): " + EXPORT_HINT);
        }
        return tensor;
    }

    /** A cache tensor must be float32 {@code [batch, kv_heads, length, head_dim]}, its fixed sizes those of config.json. */
    private static void checkCache(Path file, TensorInfo info, String name, DecoderFolder folder) {
        if (info.type != OnnxJavaType.FLOAT) {
            throw new ModelLoadException(file + " keeps '" + name + "' as " + info.type + ": choose the export whose KV cache is"
                    + " float32 (model.onnx, or a quantized variant such as model_quantized.onnx), not a float16 one.");
        }
        long[] shape = info.getShape();
        if (shape.length != 4 || (shape[1] > 0 && shape[1] != folder.kvHeads()) || (shape[3] > 0 && shape[3] != folder.headDim())) {
            throw new ModelLoadException(file + " has '" + name + "' of shape " + Arrays.toString(shape) + " where config.json"
                    + " implies [batch, " + folder.kvHeads() + ", length, " + folder.headDim() + "]: keep the config.json that was"
                    + " exported with the model.");
        }
    }
}
