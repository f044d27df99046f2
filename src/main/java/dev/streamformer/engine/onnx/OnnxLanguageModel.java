package dev.streamformer.engine.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.streamformer.engine.DecoderState;
import dev.streamformer.engine.LanguageModel;
import dev.streamformer.model.ModelLoadException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A decoder-only LLM exported to ONNX in the Optimum / onnx-community layout, run on ONNX Runtime with its KV cache
 * kept between steps.
 *
 * <p>The folder holds {@code config.json} (cache and vocabulary sizes), {@code generation_config.json} (end-of-sequence
 * ids) and {@code model.onnx} or {@code onnx/model.onnx}, whose inputs and outputs {@link DecoderSignature} checks. One
 * {@link OrtSession} serves every thread (ORT runs are thread-safe); each generation's {@link #newState} holds its own
 * caches and buffers.
 */
public final class OnnxLanguageModel implements LanguageModel, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OnnxLanguageModel.class);

    /** The logits of one ORT run ({@code [batch, seq, vocab]} floats) are kept under this many bytes. */
    private static final long LOGITS_BYTES = 64L << 20;

    private final OrtEnvironment env;
    private final OrtSession session;
    private final DecoderFolder folder;
    private final DecoderSignature names;
    private final int maxRows;

    private OnnxLanguageModel(OrtEnvironment env, OrtSession session, DecoderFolder folder, DecoderSignature names) {
        this.env = env;
        this.session = session;
        this.folder = folder;
        this.names = names;
        this.maxRows = (int) Math.clamp(LOGITS_BYTES / (4L * folder.vocab()), 1, 256);
    }

    /**
     * Loads the decoder in {@code folder}.
     *
     * @param intraOpThreads ORT's threads per run (0: its default, one per core)
     * @param device         where ORT runs; CUDA needs the {@code onnxruntime_gpu} build ({@code -Pcuda})
     */
    public static OnnxLanguageModel load(Path folder, int intraOpThreads, OnnxEngine.Device device) {
        DecoderFolder files = DecoderFolder.read(folder);
        OrtEnvironment env = OrtRuntime.environment();
        OrtSession session = OrtRuntime.open(env, files.onnxFile(), intraOpThreads, device);
        try {
            DecoderSignature names = DecoderSignature.of(session, files);
            log.info("ONNX Runtime loaded decoder {} ({}, {} layers, {} kv heads x {}, vocab {}, device {})", files.onnxFile(),
                    files.modelType(), files.layers(), files.kvHeads(), files.headDim(), files.vocab(), device);
            return new OnnxLanguageModel(env, session, files, names);
        } catch (RuntimeException e) {
            closeQuietly(session);
            throw e;
        }
    }

    /** {@code model_type} from config.json, e.g. {@code llama}, {@code qwen2}, {@code qwen3}. */
    @Override
    public String architecture() { return folder.modelType(); }

    /** True when {@code folder} holds a decoder ONNX export ({@code model.onnx} or {@code onnx/model.onnx}). */
    public static boolean hasExport(Path folder) {
        return Files.isRegularFile(folder.resolve("model.onnx")) || Files.isRegularFile(folder.resolve("onnx").resolve("model.onnx"));
    }

    @Override
    public int vocabSize() { return folder.vocab(); }

    /** Every end-of-sequence id of generation_config.json (Llama 3 has three, Qwen two); empty when it names none. */
    @Override
    public int[] eosIds() { return folder.eosIds().clone(); }

    @Override
    public int maxPositions() { return folder.maxPositions(); }

    /** Caches for {@code slots} sequences of up to {@code maxLength} tokens ({@code slots × layers × 2 × kvHeads × maxLength × headDim} floats). */
    @Override
    public DecoderState newState(int slots, int maxLength) {
        if (maxLength > folder.maxPositions()) {
            throw new IllegalArgumentException("a sequence of " + maxLength + " tokens exceeds the " + folder.maxPositions()
                    + " positions of " + folder.onnxFile() + "; lower the prompt length or max new tokens.");
        }
        return new OnnxDecoderState(env, session, names, folder, maxRows, slots, maxLength);
    }

    @Override
    public void close() {
        closeQuietly(session);
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            log.warn("Closing the ONNX decoder session failed: {}", e.getMessage());
        }
    }
}
