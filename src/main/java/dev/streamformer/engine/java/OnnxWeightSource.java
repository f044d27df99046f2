package dev.streamformer.engine.java;

import dev.streamformer.tensor.OnnxModelFile;
import dev.streamformer.tensor.OnnxTensor;

import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a BERT encoder's parameters out of an ONNX export (PyTorch → {@code torch.onnx.export}).
 *
 * <p>Biases and norms keep their Hugging Face names as initializers (possibly fp16 behind a {@code Cast}).
 * Linear weights do not: the exporter stores them as anonymous {@code onnx::MatMul_787} initializers,
 * already transposed to {@code [in, out]}. Their role is the name of the MatMul node that consumes them,
 * which mirrors the module path: {@code encoder.layer.0.attention.self.query.weight} is the second input of
 * node {@code /encoder/layer.0/attention/self/query/MatMul}. We transpose them back to {@code [out, in]} here, once.
 */
final class OnnxWeightSource implements WeightSource {

    private static final Pattern LAYER_MATMUL = Pattern.compile("/encoder/layer\\.(\\d+)/attention/self/query/MatMul");

    private final OnnxModelFile file;

    private static final java.util.Set<String> QUANTIZED_OPS =
            java.util.Set.of("MatMulInteger", "DynamicQuantizeLinear", "QLinearMatMul", "QuantizeLinear", "DequantizeLinear");

    OnnxWeightSource(OnnxModelFile file) {
        this.file = file;
        for (OnnxModelFile.Node n : file.nodes()) {
            if (QUANTIZED_OPS.contains(n.opType())) {
                throw new IllegalArgumentException(file.path().getFileName() + " is a quantized model (" + n.opType()
                        + " nodes); the java engine runs fp32/fp16 weights only: use --engine onnx, or the model without -q");
            }
        }
    }

    /**
     * Refuses a graph whose position ids are not the ones {@code config} says: RoBERTa-style exports count positions
     * from the padding id on (a {@code CumSum} in the embeddings), BERT's are simply 0, 1, 2, ...
     */
    void checkPositionIds(EncoderConfig config) {
        boolean counts = file.nodes().stream().anyMatch(n -> n.opType().equals("CumSum") && n.name().startsWith("/embeddings/"));
        if (counts && config.positionIds() == EncoderConfig.PositionIds.INDEX) {
            throw new IllegalArgumentException(file.path().getFileName() + " computes its position ids from the input "
                    + "(RoBERTa style); put the model's config.json (model_type roberta or xlm-roberta) beside it, or use --engine onnx");
        }
    }

    @Override
    public String describe() { return file.path().toString(); }

    @Override
    public boolean has(String name) {
        return matmulFor(name) != null || file.isConstant(name);
    }

    @Override
    public int[] shape(String name) {
        OnnxModelFile.Node mm = matmulFor(name);
        if (mm != null) {
            int[] d = file.constant(mm.input(1)).dims();
            return new int[] {d[1], d[0]};
        }
        return lookup(name).dims();
    }

    @Override
    public float[] get(String name, int... shape) {
        OnnxModelFile.Node mm = matmulFor(name);
        if (mm != null) {
            OnnxTensor t = file.constant(mm.input(1));
            // stored [in, out]; we want [out, in]
            check(name, new int[] {t.dims()[1], t.dims()[0]}, shape, t);
            return transpose(t.toFloats(), t.dims()[0], t.dims()[1]);
        }
        OnnxTensor t = lookup(name);
        check(name, t.dims(), shape, t);
        return t.toFloats();
    }

    private OnnxTensor lookup(String name) {
        if (!file.isConstant(name)) {
            throw new IllegalArgumentException(file.path().getFileName() + " has no weight '" + name
                    + "'; is it a BERT-style encoder exported from Hugging Face transformers?");
        }
        return file.constant(name);
    }

    /** The MatMul node that applies the linear weight {@code name}, or null when {@code name} is not a linear weight here. */
    private OnnxModelFile.Node matmulFor(String name) {
        if (!name.endsWith(".weight")) return null;
        String module = name.substring(0, name.length() - ".weight".length());
        // encoder.layer.0.attention.self.query -> /encoder/layer.0/attention/self/query/MatMul
        String path = "/" + module.replace('.', '/').replaceAll("layer/(\\d+)", "layer.$1") + "/MatMul";
        OnnxModelFile.Node node = file.node(path);
        if (node == null || !node.opType().equals("MatMul") || !file.isConstant(node.input(1))) return null;
        return node;
    }

    private void check(String name, int[] actual, int[] expected, OnnxTensor t) {
        if (!Arrays.equals(actual, expected)) {
            throw new IllegalArgumentException(file.path().getFileName() + ": weight '" + name + "' (" + t.name() + ") has shape "
                    + Arrays.toString(actual) + " but the encoder expects " + Arrays.toString(expected));
        }
    }

    private static float[] transpose(float[] a, int rows, int cols) {
        float[] t = new float[a.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) t[c * rows + r] = a[r * cols + c];
        }
        return t;
    }

    /**
     * Works out the encoder's shape from the graph when no {@code config.json} comes with the file
     * (the LangChain4j jars ship a bare .onnx):
     * <ul>
     *   <li>vocabulary, hidden size, positions, token types: the embedding tables' shapes;</li>
     *   <li>layers: how many {@code /encoder/layer.N/attention/self/query/MatMul} nodes there are;</li>
     *   <li>feed-forward width: the shape of {@code intermediate.dense.weight};</li>
     *   <li>heads: the constant the exporter put into the key Reshape {@code [batch, seq, heads, d_k]} — the only
     *       place the graph says it (MiniLM-L6 has 12 heads of 32, not hidden/64);</li>
     *   <li>LayerNorm epsilon: the constant added to the variance in {@code /embeddings/LayerNorm/Add};</li>
     *   <li>activation: an {@code Erf} node in the first feed-forward means exact GELU, a {@code Tanh} the approximation.</li>
     * </ul>
     */
    EncoderConfig inferConfig() {
        int[] word = shape("embeddings.word_embeddings.weight");
        int[] pos = shape("embeddings.position_embeddings.weight");
        int types = has("embeddings.token_type_embeddings.weight") ? shape("embeddings.token_type_embeddings.weight")[0] : 0;
        int layers = 0;
        for (OnnxModelFile.Node n : file.nodes()) {
            Matcher m = LAYER_MATMUL.matcher(n.name());
            if (m.matches()) layers = Math.max(layers, Integer.parseInt(m.group(1)) + 1);
        }
        if (layers == 0) {
            throw new IllegalArgumentException(file.path().getFileName() + " has no /encoder/layer.N/attention nodes; "
                    + "the java engine reads BERT-style encoders exported from Hugging Face transformers");
        }
        int intermediate = shape("encoder.layer.0.intermediate.dense.weight")[0];
        int labels = has("classifier.weight") ? shape("classifier.weight")[0] : 0;
        return new EncoderConfig(word[0], word[1], layers, headsFromGraph(), intermediate, pos[0], types,
                (float) epsilonFromGraph(), activationFromGraph(), EncoderConfig.Positions.LEARNED,
                EncoderConfig.NormPlacement.POST_LN, labels);
    }

    private int headsFromGraph() {
        OnnxModelFile.Node reshape = file.node("/encoder/layer.0/attention/self/Reshape");
        OnnxModelFile.Node concat = reshape == null ? null : file.producer(reshape.input(1));
        if (concat == null || !concat.opType().equals("Concat") || concat.inputs().size() != 4 || !file.isConstant(concat.input(2))) {
            throw new IllegalArgumentException(file.path().getFileName() + ": cannot find the number of attention heads in the graph; "
                    + "put the model's config.json next to the .onnx file");
        }
        return (int) file.constant(concat.input(2)).scalar();
    }

    private double epsilonFromGraph() {
        OnnxModelFile.Node add = file.node("/embeddings/LayerNorm/Add");
        if (add == null) return 1e-12;
        for (String in : add.inputs()) if (file.isConstant(in)) return file.constant(in).scalar();
        return 1e-12;
    }

    private EncoderConfig.Activation activationFromGraph() {
        String prefix = "/encoder/layer.0/intermediate/";
        for (OnnxModelFile.Node n : file.nodes()) {
            if (!n.name().startsWith(prefix)) continue;
            if (n.opType().equals("Erf")) return EncoderConfig.Activation.GELU_ERF;
            if (n.opType().equals("Tanh")) return EncoderConfig.Activation.GELU_TANH;
        }
        throw new IllegalArgumentException(file.path().getFileName() + ": the feed-forward activation is neither erf-GELU nor tanh-GELU; "
                + "the java engine cannot run this model (use --engine onnx)");
    }
}
