package dev.streamformer.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

/**
 * How an embedding is written into the output: the {@code embedding} field of a result, as a JSON array of numbers
 * ({@code json}, as before), or as base64 (RFC 4648, with padding) of its little-endian {@code float32}
 * ({@code base64-f32}: exact), {@code float16} ({@code base64-f16}: relative error at most 2<sup>-11</sup>), or
 * {@code int8} ({@code int8}: {@code q = round(x / embedding_scale)} with {@code embedding_scale = max|x| / 127}
 * written next to it; absolute error at most {@code embedding_scale / 2}). With {@code dimensions} N the vector is first
 * cut to its first N numbers and scaled back to length 1 (Matryoshka models are trained for this); a vector of N or
 * fewer numbers is kept whole. Results without an {@code embedding} array are left as they are.
 *
 * @param dimensions how many numbers to keep; 0: all
 */
public record VectorEncoding(Kind kind, int dimensions) {

    /** The field an embedding is in, and the field the int8 scale is written to. */
    public static final String FIELD = "embedding", SCALE_FIELD = "embedding_scale";

    public static final VectorEncoding JSON = new VectorEncoding(Kind.JSON, 0);

    public enum Kind {
        JSON("json"), BASE64_F32("base64-f32"), BASE64_F16("base64-f16"), INT8("int8");

        private final String flag;

        Kind(String flag) {
            this.flag = flag;
        }

        /** The kind a flag or topology key names. */
        public static Kind parse(String name) {
            for (Kind k : values()) {
                if (k.flag.equals(name)) return k;
            }
            throw new IllegalArgumentException("Unknown vector encoding '" + name + "': use json, base64-f32, base64-f16 or int8"
                    + " (--vector-encoding; topology file: vectorEncoding).");
        }

        @Override
        public String toString() {
            return flag;
        }
    }

    public VectorEncoding {
        if (dimensions < 0) {
            throw new IllegalArgumentException("--dimensions must be positive (or 0 for all), got " + dimensions + ".");
        }
    }

    /** The result with its embedding encoded; {@code fields} itself is not changed (it may be a cached result). */
    public ObjectNode apply(ObjectNode fields) {
        JsonNode embedding = fields.get(FIELD);
        if ((kind == Kind.JSON && dimensions == 0) || embedding == null || !embedding.isArray()) {
            return fields;
        }
        float[] vector = truncated(embedding);
        ObjectNode out = fields.deepCopy();
        switch (kind) {
            case JSON -> {
                ArrayNode array = out.putArray(FIELD);
                for (float x : vector) array.add(x);
            }
            case BASE64_F32 -> {
                ByteBuffer bytes = ByteBuffer.allocate(4 * vector.length).order(ByteOrder.LITTLE_ENDIAN);
                for (float x : vector) bytes.putFloat(x);
                out.put(FIELD, Base64.getEncoder().encodeToString(bytes.array()));
            }
            case BASE64_F16 -> {
                ByteBuffer bytes = ByteBuffer.allocate(2 * vector.length).order(ByteOrder.LITTLE_ENDIAN);
                for (float x : vector) bytes.putShort(Float.floatToFloat16(x));
                out.put(FIELD, Base64.getEncoder().encodeToString(bytes.array()));
            }
            case INT8 -> {
                float max = 0;
                for (float x : vector) max = Math.max(max, Math.abs(x));
                float scale = max == 0 ? 1 : max / 127;
                byte[] bytes = new byte[vector.length];
                for (int i = 0; i < vector.length; i++) bytes[i] = (byte) Math.round(vector[i] / scale);
                out.put(FIELD, Base64.getEncoder().encodeToString(bytes));
                out.put(SCALE_FIELD, scale);
            }
        }
        return out;
    }

    /** The first {@code dimensions} numbers, scaled to length 1; all of them, as they are, when not cut. */
    private float[] truncated(JsonNode embedding) {
        boolean cut = dimensions > 0 && dimensions < embedding.size();
        float[] vector = new float[cut ? dimensions : embedding.size()];
        for (int i = 0; i < vector.length; i++) vector[i] = embedding.get(i).floatValue();
        if (cut) {
            double norm = 0;
            for (float x : vector) norm += (double) x * x;
            norm = Math.sqrt(norm);
            if (norm > 0) {
                for (int i = 0; i < vector.length; i++) vector[i] = (float) (vector[i] / norm);
            }
        }
        return vector;
    }
}
