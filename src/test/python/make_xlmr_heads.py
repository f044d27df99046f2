#!/usr/bin/python3
"""Puts small random heads on tiny-xlmr: a cross-encoder (reranker) and a token classifier, each as a Hugging Face
folder with safetensors weights and an ONNX graph of the same weights.

Test fixture, not product code: no trained reranker or NER model is in ../shared, so the Java tests run this script to
test the mechanics of `--task rerank` and `--task entities` on both engines. The encoder is tiny-xlmr as it is (its
model.onnx, extended op by op with onnx.helper; its model.safetensors, renamed under `roberta.` as transformers' head
classes store it); the heads follow transformers' modeling_xlm_roberta (dropout is the identity at inference):

    XLMRobertaForSequenceClassification (rerank/):   x = h[:, 0]  (the <s> token)
        logits = out_proj(tanh(dense(x)))              classifier.dense [64, 64], classifier.out_proj [1, 64]   -> [batch, 1]
    XLMRobertaForTokenClassification (entities/):
        logits = classifier(h)                         classifier [5, 64]                                      -> [batch, seq, 5]

Both graphs keep `last_hidden_state` as a second output. The weights are seeded (numpy default_rng(19)) and scaled so that
scores spread; they mean nothing. Usage:

    /usr/bin/python3 src/test/python/make_xlmr_heads.py ../shared/models/tiny-xlmr target/xlmr-heads

OUT_DIR receives rerank/ and entities/, each with config.json, model.safetensors, model.onnx, tokenizer.json and
tokenizer_config.json.
"""
import json
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

ENTITY_LABELS = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC"]


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        assert info["dtype"] == "F32", name
        s, e = info["data_offsets"]
        out[name] = np.frombuffer(data[s:e], dtype="<f4").reshape(info["shape"])
    return out


def write_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        b = np.ascontiguousarray(tensors[name], dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensors[name].shape), "data_offsets": [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def linear(graph, x, name, weight, bias, out):
    """out = x · weightᵀ + bias, with the weight stored [in, out] for MatMul, as exporters do."""
    graph.initializer.append(numpy_helper.from_array(weight.T.copy(), name + ".weight_t"))
    graph.initializer.append(numpy_helper.from_array(bias, name + ".bias"))
    graph.node.append(helper.make_node("MatMul", [x, name + ".weight_t"], [out + "_mm"], name=name + "/MatMul"))
    graph.node.append(helper.make_node("Add", [out + "_mm", name + ".bias"], [out], name=name + "/Add"))


def folder(src, out, config_changes, encoder, head, add_head):
    os.makedirs(out, exist_ok=True)
    for f in ("tokenizer.json", "tokenizer_config.json"):
        shutil.copyfile(os.path.join(src, f), os.path.join(out, f))
    with open(os.path.join(src, "config.json")) as f:
        config = json.load(f)
    config.update(config_changes)
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
    tensors = {"roberta." + k: v for k, v in encoder.items()}
    tensors.update(head)
    write_safetensors(os.path.join(out, "model.safetensors"), tensors)
    model = onnx.load(os.path.join(src, "model.onnx"))
    add_head(model.graph)
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(out, "model.onnx"))


def main(src, out):
    encoder = read_safetensors(os.path.join(src, "model.safetensors"))
    hidden = encoder["embeddings.word_embeddings.weight"].shape[1]
    rng = np.random.default_rng(19)

    def weights(*shape, scale):
        return (rng.standard_normal(shape) * scale).astype(np.float32)

    rerank = {
        "classifier.dense.weight": weights(hidden, hidden, scale=0.3),
        "classifier.dense.bias": weights(hidden, scale=0.1),
        "classifier.out_proj.weight": weights(1, hidden, scale=0.5),
        "classifier.out_proj.bias": weights(1, scale=0.1),
    }

    def rerank_head(g):
        zero = numpy_helper.from_array(np.array(0, dtype=np.int64), "cls_index")
        g.initializer.append(zero)
        g.node.append(helper.make_node("Gather", ["last_hidden_state", "cls_index"], ["cls"], axis=1, name="/classifier/Gather"))
        linear(g, "cls", "classifier.dense", rerank["classifier.dense.weight"], rerank["classifier.dense.bias"], "dense")
        g.node.append(helper.make_node("Tanh", ["dense"], ["dense_tanh"], name="/classifier/Tanh"))
        linear(g, "dense_tanh", "classifier.out_proj", rerank["classifier.out_proj.weight"], rerank["classifier.out_proj.bias"],
               "logits")
        g.output.insert(0, helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", 1]))

    folder(src, os.path.join(out, "rerank"),
           {"architectures": ["XLMRobertaForSequenceClassification"], "id2label": {"0": "LABEL_0"}, "label2id": {"LABEL_0": 0}},
           encoder, rerank, rerank_head)

    entities = {
        "classifier.weight": weights(len(ENTITY_LABELS), hidden, scale=1.0),
        "classifier.bias": weights(len(ENTITY_LABELS), scale=0.2),
    }

    def token_head(g):
        linear(g, "last_hidden_state", "classifier", entities["classifier.weight"], entities["classifier.bias"], "logits")
        g.output.insert(0, helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", "sequence", len(ENTITY_LABELS)]))

    folder(src, os.path.join(out, "entities"),
           {"architectures": ["XLMRobertaForTokenClassification"],
            "id2label": {str(i): l for i, l in enumerate(ENTITY_LABELS)},
            "label2id": {l: i for i, l in enumerate(ENTITY_LABELS)}},
           encoder, entities, token_head)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    main(sys.argv[1], sys.argv[2])
