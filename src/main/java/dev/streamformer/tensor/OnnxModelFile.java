package dev.streamformer.tensor;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The weights and the graph of an ONNX model, read straight from the protobuf file (no ONNX Runtime needed).
 *
 * <p>Only what a weight loader needs is kept: {@code ModelProto.graph} → the graph's nodes (name, op type,
 * inputs, outputs, attributes), its initializers ({@code TensorProto}: name, dims, data type, data), and the
 * names of its inputs and outputs. The file is memory-mapped; tensor data is decoded on request.
 *
 * <p>Exporters hide weights in two ways that {@link #constant(String)} sees through: a weight may be stored
 * in fp16 and {@code Cast} to fp32 inside the graph (the value a MatMul consumes is then a Cast's output),
 * and a small constant may be the output of a {@code Constant} node instead of an initializer.
 */
public final class OnnxModelFile {

    /** A graph node. Attributes keep what loaders read: ints, floats, strings and tensors. */
    public record Node(String name, String opType, List<String> inputs, List<String> outputs, Map<String, Attribute> attributes) {

        /** The {@code i}-th input, or a clear error when the node has fewer. */
        public String input(int i) {
            if (i >= inputs.size()) throw new OnnxFormatException("node '" + name + "' (" + opType + ") has no input #" + i);
            return inputs.get(i);
        }
    }

    /** A node attribute; fields the attribute does not carry are null. */
    public record Attribute(String name, Long i, Float f, String s, OnnxTensor t, long[] ints) {}

    // ONNX field numbers (onnx.proto3): ModelProto.graph; GraphProto.{node, initializer, input, output};
    // NodeProto.{input, output, name, op_type, attribute}; AttributeProto.{name, f, i, s, t, ints};
    // TensorProto.{dims, data_type, float_data, int32_data, int64_data, name, raw_data, double_data, data_location}.
    private static final int MODEL_GRAPH = 7;
    private static final int GRAPH_NODE = 1, GRAPH_INITIALIZER = 5, GRAPH_INPUT = 11, GRAPH_OUTPUT = 12;
    private static final int NODE_INPUT = 1, NODE_OUTPUT = 2, NODE_NAME = 3, NODE_OP_TYPE = 4, NODE_ATTRIBUTE = 5;
    private static final int ATTR_NAME = 1, ATTR_F = 2, ATTR_I = 3, ATTR_S = 4, ATTR_T = 5, ATTR_INTS = 8;
    private static final int TENSOR_DIMS = 1, TENSOR_DATA_TYPE = 2, TENSOR_FLOAT_DATA = 4, TENSOR_INT32_DATA = 5,
            TENSOR_INT64_DATA = 7, TENSOR_NAME = 8, TENSOR_RAW_DATA = 9, TENSOR_DOUBLE_DATA = 10,
            TENSOR_EXTERNAL_DATA = 13, TENSOR_DATA_LOCATION = 14;

    private final Path path;
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, OnnxTensor> initializers = new LinkedHashMap<>();
    private final Map<String, Node> producers = new HashMap<>();
    private final Map<String, Node> nodesByName = new HashMap<>();
    private final List<String> inputs = new ArrayList<>();
    private final List<String> outputs = new ArrayList<>();

    private OnnxModelFile(Path path) {
        this.path = path;
    }

    /** Maps and parses an ONNX file. */
    public static OnnxModelFile read(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE) {
                throw new OnnxFormatException(path + " is " + size + " bytes; ONNX files over 2 GB keep their weights as external data, which is not supported");
            }
            MappedByteBuffer buf = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
            buf.order(ByteOrder.LITTLE_ENDIAN);
            OnnxModelFile file = new OnnxModelFile(path);
            try {
                file.parseModel(new OnnxProtoReader(buf, 0, (int) size));
            } catch (OnnxFormatException e) {
                throw new OnnxFormatException(path + " is not a readable ONNX model: " + e.getMessage());
            }
            return file;
        }
    }

    public Path path() { return path; }

    public List<Node> nodes() { return Collections.unmodifiableList(nodes); }

    public Map<String, OnnxTensor> initializers() { return Collections.unmodifiableMap(initializers); }

    /** Names of the graph's inputs that are not initializers (e.g. {@code input_ids}). */
    public List<String> inputs() {
        return inputs.stream().filter(n -> !initializers.containsKey(n)).toList();
    }

    public List<String> outputs() { return Collections.unmodifiableList(outputs); }

    /** The node with this name, or null. */
    public Node node(String name) { return nodesByName.get(name); }

    /** The node that outputs this value, or null for graph inputs and initializers. */
    public Node producer(String value) { return producers.get(value); }

    /** True when {@link #constant(String)} can resolve this value. */
    public boolean isConstant(String value) {
        for (int hops = 0; hops < 8; hops++) {
            if (initializers.containsKey(value)) return true;
            Node p = producers.get(value);
            if (p == null) return false;
            if (p.opType().equals("Constant")) return p.attributes().containsKey("value");
            if (!p.opType().equals("Cast")) return false;
            value = p.input(0);
        }
        return false;
    }

    /**
     * The tensor behind a value name: an initializer, the value of a {@code Constant} node, or either of those
     * seen through {@code Cast} nodes (the cast to fp32 is what {@link OnnxTensor#toFloats()} does anyway).
     */
    public OnnxTensor constant(String value) {
        String start = value;
        for (int hops = 0; hops < 8; hops++) {
            OnnxTensor t = initializers.get(value);
            if (t != null) return t;
            Node p = producers.get(value);
            if (p == null) break;
            if (p.opType().equals("Constant") && p.attributes().containsKey("value")) return p.attributes().get("value").t();
            if (!p.opType().equals("Cast")) break;
            value = p.input(0);
        }
        throw new OnnxFormatException("value '" + start + "' in " + path.getFileName() + " is computed by the graph, not stored as a constant");
    }

    private void parseModel(OnnxProtoReader model) {
        boolean sawGraph = false;
        while (model.next()) {
            if (model.fieldNumber() == MODEL_GRAPH) {
                parseGraph(model.message());
                sawGraph = true;
            } else {
                model.skip();
            }
        }
        if (!sawGraph) throw new OnnxFormatException("the file has no graph");
    }

    private void parseGraph(OnnxProtoReader graph) {
        while (graph.next()) {
            switch (graph.fieldNumber()) {
                case GRAPH_NODE -> {
                    Node n = parseNode(graph.message());
                    nodes.add(n);
                    if (!n.name().isEmpty()) nodesByName.put(n.name(), n);
                    for (String out : n.outputs()) producers.put(out, n);
                }
                case GRAPH_INITIALIZER -> {
                    OnnxTensor t = parseTensor(graph.message());
                    initializers.put(t.name(), t);
                }
                case GRAPH_INPUT -> inputs.add(valueInfoName(graph.message()));
                case GRAPH_OUTPUT -> outputs.add(valueInfoName(graph.message()));
                default -> graph.skip();
            }
        }
    }

    private static String valueInfoName(OnnxProtoReader info) {
        String name = "";
        while (info.next()) {
            if (info.fieldNumber() == 1) name = info.string();
            else info.skip();
        }
        return name;
    }

    private static Node parseNode(OnnxProtoReader r) {
        List<String> in = new ArrayList<>();
        List<String> out = new ArrayList<>();
        String name = "";
        String op = "";
        Map<String, Attribute> attrs = new LinkedHashMap<>();
        while (r.next()) {
            switch (r.fieldNumber()) {
                case NODE_INPUT -> in.add(r.string());
                case NODE_OUTPUT -> out.add(r.string());
                case NODE_NAME -> name = r.string();
                case NODE_OP_TYPE -> op = r.string();
                case NODE_ATTRIBUTE -> {
                    Attribute a = parseAttribute(r.message());
                    attrs.put(a.name(), a);
                }
                default -> r.skip();
            }
        }
        return new Node(name, op, List.copyOf(in), List.copyOf(out), Collections.unmodifiableMap(attrs));
    }

    private static Attribute parseAttribute(OnnxProtoReader r) {
        String name = "";
        Long i = null;
        Float f = null;
        String s = null;
        OnnxTensor t = null;
        OnnxProtoReader.LongList ints = null;
        while (r.next()) {
            switch (r.fieldNumber()) {
                case ATTR_NAME -> name = r.string();
                case ATTR_F -> f = Float.intBitsToFloat(r.fixed32());
                case ATTR_I -> i = r.varint();
                case ATTR_S -> s = r.string();
                case ATTR_T -> t = parseTensor(r.message());
                case ATTR_INTS -> {
                    if (ints == null) ints = new OnnxProtoReader.LongList();
                    r.varints(ints);
                }
                default -> r.skip();
            }
        }
        return new Attribute(name, i, f, s, t, ints == null ? null : ints.toArray());
    }

    private static OnnxTensor parseTensor(OnnxProtoReader r) {
        OnnxProtoReader.LongList dims = new OnnxProtoReader.LongList();
        int dataType = 0;
        String name = "";
        java.nio.ByteBuffer raw = null;
        OnnxProtoReader.FloatList floats = new OnnxProtoReader.FloatList();
        OnnxProtoReader.LongList ints = new OnnxProtoReader.LongList();
        boolean external = false;
        while (r.next()) {
            switch (r.fieldNumber()) {
                case TENSOR_DIMS -> r.varints(dims);
                case TENSOR_DATA_TYPE -> dataType = (int) r.varint();
                case TENSOR_FLOAT_DATA -> r.floats(floats);
                case TENSOR_DOUBLE_DATA -> r.doubles(floats);
                case TENSOR_INT32_DATA, TENSOR_INT64_DATA -> r.varints(ints);
                case TENSOR_NAME -> name = r.string();
                case TENSOR_RAW_DATA -> raw = r.bytes();
                case TENSOR_EXTERNAL_DATA -> { external = true; r.skip(); }
                case TENSOR_DATA_LOCATION -> external |= r.varint() == 1;
                default -> r.skip();
            }
        }
        if (external) {
            throw new OnnxFormatException("tensor '" + name + "' keeps its data in an external file, which is not supported; "
                    + "re-export the model with its weights inside the .onnx file");
        }
        long[] d = dims.toArray();
        int[] shape = new int[d.length];
        long count = 1;
        for (int k = 0; k < d.length; k++) {
            if (d[k] < 0 || d[k] > Integer.MAX_VALUE) throw new OnnxFormatException("tensor '" + name + "' has dimension " + d[k]);
            shape[k] = (int) d[k];
            count *= d[k];
            if (count > Integer.MAX_VALUE) throw new OnnxFormatException("tensor '" + name + "' has more than 2^31 elements");
        }
        OnnxTensor.DataType type = OnnxTensor.DataType.of(dataType, name);
        if (raw != null) return new OnnxTensor(name, shape, type, raw, null, null);
        // the field a type uses, even when empty: an empty FLOAT tensor has no float_data, yet toFloats() must work
        if (OnnxTensor.isFloatField(type)) return new OnnxTensor(name, shape, type, null, floats.toArray(), null);
        return new OnnxTensor(name, shape, type, null, null, ints.toArray());
    }
}
