package dev.streamformer.tensor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The weights of a Hugging Face model folder, one file or many: {@code model.safetensors}, or the shards that
 * {@code model.safetensors.index.json} lists ({@code {"weight_map": {"tensor name": "model-00001-of-00002.safetensors"}}}).
 * Tensors are read by name whichever shard holds them.
 */
public final class SafeTensorShards implements AutoCloseable {

    private final Path dir;
    private final Map<String, SafeTensors> byTensor;
    private final List<SafeTensors> files;

    private SafeTensorShards(Path dir, Map<String, SafeTensors> byTensor, List<SafeTensors> files) {
        this.dir = dir;
        this.byTensor = byTensor;
        this.files = files;
    }

    /** Opens {@code model.safetensors.index.json}'s shards when the folder has one, else {@code model.safetensors}. */
    public static SafeTensorShards open(Path dir) {
        Path index = dir.resolve("model.safetensors.index.json");
        Path single = dir.resolve("model.safetensors");
        Map<String, SafeTensors> byTensor = new HashMap<>();
        List<SafeTensors> files = new ArrayList<>();
        try {
            if (Files.isRegularFile(index)) {
                JsonNode map = new ObjectMapper().readTree(index.toFile()).path("weight_map");
                if (!map.isObject() || map.isEmpty()) {
                    throw new SafeTensorsException(index + " has no weight_map; it is not a safetensors index.");
                }
                Map<String, SafeTensors> byFile = new LinkedHashMap<>();
                for (var e : map.properties()) {
                    String file = e.getValue().asText();
                    Path shard = dir.resolve(file).normalize();
                    if (!shard.getParent().equals(dir.normalize())) {
                        throw new SafeTensorsException(index + " names shard '" + file + "' outside the model folder.");
                    }
                    SafeTensors st = byFile.computeIfAbsent(file, f -> SafeTensors.open(shard));
                    if (!st.contains(e.getKey())) {
                        throw new SafeTensorsException(index + " places '" + e.getKey() + "' in " + file + ", which lacks it.");
                    }
                    byTensor.put(e.getKey(), st);
                }
                files.addAll(byFile.values());
            } else if (Files.isRegularFile(single)) {
                SafeTensors st = SafeTensors.open(single);
                files.add(st);
                for (String name : st.names()) byTensor.put(name, st);
            } else {
                throw new SafeTensorsException(dir + " has neither model.safetensors nor model.safetensors.index.json;"
                        + " point --model at a Hugging Face model folder with safetensors weights.");
            }
        } catch (IOException e) {
            files.forEach(SafeTensors::close);
            throw new UncheckedIOException(index + " cannot be read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            files.forEach(SafeTensors::close);
            throw e;
        }
        return new SafeTensorShards(dir, byTensor, files);
    }

    public boolean contains(String name) {
        return byTensor.containsKey(name);
    }

    /** The dtype and shape of a tensor. */
    public SafeTensorInfo info(String name) {
        return file(name).info(name);
    }

    /** A tensor as fp32 after checking its shape (see {@link SafeTensors#floats(String, int...)}). */
    public float[] floats(String name, int... expectedShape) {
        return file(name).floats(name, expectedShape);
    }

    /** A BF16 tensor's raw bits (see {@link SafeTensors#bf16Bits}). */
    public short[] bf16Bits(String name, int... expectedShape) {
        return file(name).bf16Bits(name, expectedShape);
    }

    private SafeTensors file(String name) {
        SafeTensors st = byTensor.get(name);
        if (st == null) {
            throw new SafeTensorsException(dir + ": the weights lack tensor '" + name + "', which the model's config.json implies.");
        }
        return st;
    }

    @Override
    public void close() {
        files.forEach(SafeTensors::close);
    }
}
