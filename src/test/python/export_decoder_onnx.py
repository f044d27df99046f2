#!/usr/bin/python3
"""Writes a Hugging Face Llama / Qwen2 / Qwen3 checkpoint as an ONNX decoder in the Optimum / onnx-community layout.

Test fixture, not product code: the Java tests run it to get an ONNX export of the tiny models in ../shared/models,
because no such export ships there. The graph is written op by op with onnx.helper (opset 17), following Hugging Face's
modeling_llama / modeling_qwen2 / modeling_qwen3 (eager attention, fp32 math on the BF16 weights):

    inputs   input_ids                 int64 [batch, seq]
             attention_mask            int64 [batch, past + seq]   1 = attend, 0 = padding
             position_ids              int64 [batch, seq]
             past_key_values.N.key     float [batch, kv_heads, past, head_dim]   (and .value), N = 0 .. layers-1
    outputs  logits                    float [batch, seq, vocab]
             present.N.key             float [batch, kv_heads, past + seq, head_dim]  (and .value)

A query at column past + i attends to key column j when j <= past + i (causal over the concatenated columns) and
attention_mask[j] = 1, as transformers builds its 4-D mask from the 2-D one.

Usage (Debian: apt-get install python3-onnx python3-numpy):

    /usr/bin/python3 src/test/python/export_decoder_onnx.py ../shared/models/tiny-qwen3 target/onnx-decoders/tiny-qwen3
    /usr/bin/python3 src/test/python/export_decoder_onnx.py --onnx-subfolder MODEL_DIR OUT_DIR   # OUT_DIR/onnx/model.onnx

OUT_DIR receives model.onnx (or onnx/model.onnx), config.json and generation_config.json.
"""
import argparse
import json
import math
import os
import shutil
import struct
import sys

try:
    import numpy as np
    import onnx
    from onnx import TensorProto, helper, numpy_helper
except ImportError as e:
    print(f"{e}: install the Debian packages with 'apt-get install python3-onnx python3-numpy' "
          f"and run this script with /usr/bin/python3.", file=sys.stderr)
    sys.exit(3)

OPSET = 17
FLOAT_MIN = float(np.finfo(np.float32).min)  # what transformers puts where the mask says no


def read_safetensors(model_dir):
    """All tensors of a (possibly sharded) safetensors checkpoint as float32 numpy arrays; BF16 is uint16 << 16."""
    index = os.path.join(model_dir, "model.safetensors.index.json")
    if os.path.exists(index):
        with open(index) as f:
            files = sorted(set(json.load(f)["weight_map"].values()))
    else:
        files = ["model.safetensors"]
    tensors = {}
    for name in files:
        with open(os.path.join(model_dir, name), "rb") as f:
            data = f.read()
        (header_len,) = struct.unpack("<Q", data[:8])
        header = json.loads(data[8:8 + header_len])
        body = data[8 + header_len:]
        for key, info in header.items():
            if key == "__metadata__":
                continue
            start, end = info["data_offsets"]
            raw = body[start:end]
            if info["dtype"] == "BF16":
                values = (np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16).view(np.float32)
            elif info["dtype"] == "F32":
                values = np.frombuffer(raw, dtype="<f4")
            elif info["dtype"] == "F16":
                values = np.frombuffer(raw, dtype="<f2").astype(np.float32)
            else:
                raise SystemExit(f"{name}: tensor {key} has dtype {info['dtype']}; only BF16, F16 and F32 are handled.")
            tensors[key] = values.reshape(info["shape"]).astype(np.float32)
    return tensors


def inverse_frequencies(config, head_dim):
    """RoPE inverse frequencies [head_dim / 2] in float32, as modeling_rope_utils computes them (default or llama3)."""
    base = np.float32(config.get("rope_theta", 10000.0))
    exponents = np.arange(0, head_dim, 2, dtype=np.int64).astype(np.float32) / np.float32(head_dim)
    inv_freq = (np.float32(1.0) / (base ** exponents)).astype(np.float32)
    scaling = config.get("rope_scaling") or {}
    kind = scaling.get("rope_type", scaling.get("type", "default"))
    if kind == "default":
        return inv_freq
    if kind != "llama3":
        raise SystemExit(f"rope_scaling type {kind!r} is not implemented by this exporter (default and llama3 are).")
    factor = np.float32(scaling["factor"])
    low, high = np.float32(scaling["low_freq_factor"]), np.float32(scaling["high_freq_factor"])
    old_context = np.float32(scaling["original_max_position_embeddings"])
    low_freq_wavelen, high_freq_wavelen = old_context / low, old_context / high
    wavelen = (np.float32(2 * math.pi) / inv_freq).astype(np.float32)
    # long wavelengths are slowed down by factor, short ones kept, the band between blended smoothly
    scaled = np.where(wavelen > low_freq_wavelen, inv_freq / factor, inv_freq).astype(np.float32)
    smooth = ((old_context / wavelen - low) / (high - low)).astype(np.float32)
    smoothed = ((1 - smooth) * scaled / factor + smooth * scaled).astype(np.float32)
    medium = ~(wavelen < high_freq_wavelen) & ~(wavelen > low_freq_wavelen)
    return np.where(medium, smoothed, scaled).astype(np.float32)


class Graph:
    """Collects nodes and initializers; every helper returns the name of the value it produced."""

    def __init__(self):
        self.nodes, self.initializers, self.count = [], [], 0

    def name(self, hint):
        self.count += 1
        return f"{hint}_{self.count}"

    def const(self, hint, array):
        name = self.name(hint)
        self.initializers.append(numpy_helper.from_array(np.asarray(array), name))
        return name

    def op(self, op_type, inputs, hint=None, outputs=None, **attrs):
        outputs = outputs or [self.name(hint or op_type.lower())]
        self.nodes.append(helper.make_node(op_type, inputs, outputs, **attrs))
        return outputs[0]

    def linear(self, x, weights, prefix):
        """x @ W^T (+ b): HF stores W as [out, in]; the initializer is stored transposed, [in, out]."""
        y = self.op("MatMul", [x, self.const(prefix + ".weight_t", weights[prefix + ".weight"].T.copy())], prefix)
        if prefix + ".bias" in weights:
            y = self.op("Add", [y, self.const(prefix + ".bias", weights[prefix + ".bias"])], prefix + "_bias")
        return y

    def rms_norm(self, x, weight, eps, hint):
        """weight * x / sqrt(mean(x^2 over the last axis) + eps)."""
        mean = self.op("ReduceMean", [self.op("Mul", [x, x])], axes=[-1], keepdims=1)
        inv = self.op("Reciprocal", [self.op("Sqrt", [self.op("Add", [mean, self.const("eps", np.float32(eps))])])])
        return self.op("Mul", [self.op("Mul", [x, inv]), self.const(hint, weight)], hint)

    def rotate(self, x, cos, sin, half):
        """RoPE in rotate_half form: x * cos + concat(-x[..., half:], x[..., :half]) * sin; x is [b, heads, s, d]."""
        axes = self.const("axis_last", np.array([-1], dtype=np.int64))
        first = self.op("Slice", [x, self.const("zero", np.array([0], dtype=np.int64)),
                                  self.const("half", np.array([half], dtype=np.int64)), axes])
        second = self.op("Slice", [x, self.const("half", np.array([half], dtype=np.int64)),
                                   self.const("end", np.array([2 * half], dtype=np.int64)), axes])
        rotated = self.op("Concat", [self.op("Neg", [second]), first], axis=-1)
        return self.op("Add", [self.op("Mul", [x, cos]), self.op("Mul", [rotated, sin])])


def export(model_dir, out_dir, onnx_subfolder):
    with open(os.path.join(model_dir, "config.json")) as f:
        config = json.load(f)
    model_type = config.get("model_type")
    if model_type not in ("llama", "qwen2", "qwen3"):
        raise SystemExit(f"model_type {model_type!r} is not handled by this exporter (llama, qwen2, qwen3 are).")
    w = read_safetensors(model_dir)
    hidden = config["hidden_size"]
    heads = config["num_attention_heads"]
    kv_heads = config.get("num_key_value_heads", heads)
    head_dim = config.get("head_dim") or hidden // heads
    layers = config["num_hidden_layers"]
    eps = config["rms_norm_eps"]
    vocab = config["vocab_size"]
    group = heads // kv_heads

    g = Graph()
    i64 = lambda *v: np.array(v, dtype=np.int64)

    # token embeddings: [b, s, hidden]
    x = g.op("Gather", [g.const("embed_tokens", w["model.embed_tokens.weight"]), "input_ids"], "embeddings")

    # rotary angles from position_ids: cos, sin [b, 1, s, head_dim] (the 1 broadcasts over heads)
    positions = g.op("Unsqueeze", [g.op("Cast", ["position_ids"], to=TensorProto.FLOAT), g.const("axes", i64(-1))])
    freqs = g.op("Mul", [positions, g.const("inv_freq", inverse_frequencies(config, head_dim))])  # [b, s, d/2]
    angles = g.op("Unsqueeze", [g.op("Concat", [freqs, freqs], axis=-1), g.const("axes", i64(1))])
    cos, sin = g.op("Cos", [angles], "cos"), g.op("Sin", [angles], "sin")

    # which key columns each query may see: allowed [b, 1, s, past + s] (bool)
    past_len = g.op("Shape", ["past_key_values.0.key"], start=2, end=3)            # [1]
    seq_len = g.op("Shape", ["input_ids"], start=1, end=2)                          # [1]
    total = g.op("Add", [past_len, seq_len])
    scalar = lambda v: g.op("Squeeze", [v, g.const("axes", i64(0))])
    one = g.const("one", np.array(1, dtype=np.int64))
    query_cols = g.op("Range", [scalar(past_len), scalar(total), one])             # [s]: past .. past+s-1
    key_cols = g.op("Range", [g.const("zero", np.array(0, dtype=np.int64)), scalar(total), one])  # [past+s]
    causal = g.op("LessOrEqual", [g.op("Unsqueeze", [key_cols, g.const("axes", i64(0))]),
                                  g.op("Unsqueeze", [query_cols, g.const("axes", i64(1))])], "causal")  # [s, past+s]
    padding = g.op("Cast", [g.op("Unsqueeze", ["attention_mask", g.const("axes", i64(1, 2))])], to=TensorProto.BOOL)
    allowed = g.op("And", [causal, padding], "allowed")
    masked_value = g.const("float_min", np.float32(FLOAT_MIN))
    scale = g.const("scale", np.float32(head_dim ** -0.5))

    for l in range(layers):
        p = f"model.layers.{l}."
        h = g.rms_norm(x, w[p + "input_layernorm.weight"], eps, f"input_norm{l}")

        def heads_of(name, count, norm):
            """Projection split into heads: [b, count, s, head_dim]; Qwen3 normalises each head before RoPE."""
            y = g.op("Reshape", [g.linear(h, w, p + "self_attn." + name), g.const("shape", i64(0, 0, count, head_dim))])
            if norm:
                y = g.rms_norm(y, w[p + "self_attn." + norm + ".weight"], eps, f"{norm}{l}")
            return g.op("Transpose", [y], perm=[0, 2, 1, 3])

        qk_norm = p + "self_attn.q_norm.weight" in w
        q = g.rotate(heads_of("q_proj", heads, "q_norm" if qk_norm else None), cos, sin, head_dim // 2)
        k = g.rotate(heads_of("k_proj", kv_heads, "k_norm" if qk_norm else None), cos, sin, head_dim // 2)
        v = heads_of("v_proj", kv_heads, None)

        # the cache: past columns then this call's columns, [b, kv_heads, past + s, head_dim]
        key = g.op("Concat", [f"past_key_values.{l}.key", k], axis=2, outputs=[f"present.{l}.key"])
        value = g.op("Concat", [f"past_key_values.{l}.value", v], axis=2, outputs=[f"present.{l}.value"])

        def repeat_kv(t):
            """Grouped-query attention: each key/value head serves `group` query heads, [b, heads, past + s, d]."""
            if group == 1:
                return t
            t = g.op("Expand", [g.op("Unsqueeze", [t, g.const("axes", i64(2))]), g.const("shape", i64(1, 1, group, 1, 1))])
            return g.op("Reshape", [t, g.const("shape", i64(0, heads, -1, head_dim))])

        scores = g.op("Mul", [g.op("MatMul", [q, g.op("Transpose", [repeat_kv(key)], perm=[0, 1, 3, 2])]), scale])
        probs = g.op("Softmax", [g.op("Where", [allowed, scores, masked_value])], axis=-1)   # [b, heads, s, past+s]
        attended = g.op("Transpose", [g.op("MatMul", [probs, repeat_kv(value)])], perm=[0, 2, 1, 3])
        attended = g.op("Reshape", [attended, g.const("shape", i64(0, 0, heads * head_dim))])  # [b, s, heads*d]
        x = g.op("Add", [x, g.linear(attended, w, p + "self_attn.o_proj")], f"attn_residual{l}")

        # SwiGLU feed-forward: down(silu(gate(h)) * up(h))
        h = g.rms_norm(x, w[p + "post_attention_layernorm.weight"], eps, f"post_norm{l}")
        gate = g.linear(h, w, p + "mlp.gate_proj")
        silu = g.op("Mul", [gate, g.op("Sigmoid", [gate])])
        mlp = g.linear(g.op("Mul", [silu, g.linear(h, w, p + "mlp.up_proj")]), w, p + "mlp.down_proj")
        x = g.op("Add", [x, mlp], f"mlp_residual{l}")

    h = g.rms_norm(x, w["model.norm.weight"], eps, "final_norm")
    if "lm_head.weight" in w:
        g.op("MatMul", [h, g.const("lm_head_t", w["lm_head.weight"].T.copy())], outputs=["logits"])
    else:  # tied: the classifier is the token embedding matrix, transposed in the graph rather than stored twice
        embed = g.initializers[0].name
        g.op("MatMul", [h, g.op("Transpose", [embed], perm=[1, 0])], outputs=["logits"])

    kv_shape = lambda length: ["batch_size", kv_heads, length, head_dim]
    inputs = [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch_size", "sequence_length"]),
              helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch_size", "total_sequence_length"]),
              helper.make_tensor_value_info("position_ids", TensorProto.INT64, ["batch_size", "sequence_length"])]
    outputs = [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch_size", "sequence_length", vocab])]
    for l in range(layers):
        for part in ("key", "value"):
            inputs.append(helper.make_tensor_value_info(f"past_key_values.{l}.{part}", TensorProto.FLOAT,
                                                        kv_shape("past_sequence_length")))
            outputs.append(helper.make_tensor_value_info(f"present.{l}.{part}", TensorProto.FLOAT,
                                                         kv_shape("total_sequence_length")))

    graph = helper.make_graph(g.nodes, f"{model_type}_decoder", inputs, outputs, g.initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                              producer_name="streamformer export_decoder_onnx.py")
    model.ir_version = 8  # what onnx 1.12 writes for opset 17; ONNX Runtime 1.29 reads it
    onnx.checker.check_model(model)

    target = os.path.join(out_dir, "onnx") if onnx_subfolder else out_dir
    os.makedirs(target, exist_ok=True)
    onnx.save(model, os.path.join(target, "model.onnx"))
    for name in ("config.json", "generation_config.json"):
        shutil.copyfile(os.path.join(model_dir, name), os.path.join(out_dir, name))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model_dir", help="Hugging Face folder: config.json, generation_config.json, *.safetensors")
    parser.add_argument("out_dir", help="where model.onnx, config.json and generation_config.json go")
    parser.add_argument("--onnx-subfolder", action="store_true", help="write OUT_DIR/onnx/model.onnx (onnx-community layout)")
    args = parser.parse_args()
    export(args.model_dir, args.out_dir, args.onnx_subfolder)
