package dev.streamformer.event;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each vector encoding decoded back and compared with the float result within the encoding's precision. */
class VectorEncodingTest {

    static final int DIMS = 384;

    /** A unit vector like a sentence embedding's, as the embed task writes it. */
    static ObjectNode embedding(long seed) {
        var random = new Random(seed);
        float[] v = new float[DIMS];
        double norm = 0;
        for (int i = 0; i < DIMS; i++) { v[i] = (float) random.nextGaussian(); norm += v[i] * v[i]; }
        ObjectNode fields = JsonNodeFactory.instance.objectNode();
        ArrayNode array = fields.putArray("embedding");
        for (float x : v) array.add((float) (x / Math.sqrt(norm)));
        return fields;
    }

    static float[] floats(ObjectNode fields) {
        float[] v = new float[fields.get("embedding").size()];
        for (int i = 0; i < v.length; i++) v[i] = fields.get("embedding").get(i).floatValue();
        return v;
    }

    static ByteBuffer decoded(ObjectNode encoded) {
        return ByteBuffer.wrap(Base64.getDecoder().decode(encoded.get("embedding").textValue())).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void base64F32IsExact() {
        ObjectNode fields = embedding(1);
        float[] expected = floats(fields);
        ByteBuffer bytes = decoded(new VectorEncoding(VectorEncoding.Kind.BASE64_F32, 0).apply(fields));
        assertEquals(4 * DIMS, bytes.remaining());
        for (float x : expected) assertEquals(x, bytes.getFloat());
    }

    @Test
    void base64F16IsWithinHalfPrecision() {
        ObjectNode fields = embedding(2);
        float[] expected = floats(fields);
        ByteBuffer bytes = decoded(new VectorEncoding(VectorEncoding.Kind.BASE64_F16, 0).apply(fields));
        assertEquals(2 * DIMS, bytes.remaining());
        for (float x : expected) {
            float back = Float.float16ToFloat(bytes.getShort());
            // float16 has an 11-bit significand: relative error at most 2^-11 (normals), and 2^-25 absolute below 2^-14
            assertTrue(Math.abs(back - x) <= Math.max(Math.abs(x) * 0x1p-11f, 0x1p-25f), x + " came back as " + back);
        }
    }

    @Test
    void int8IsWithinHalfItsScale() {
        ObjectNode fields = embedding(3);
        float[] expected = floats(fields);
        ObjectNode encoded = new VectorEncoding(VectorEncoding.Kind.INT8, 0).apply(fields);
        float scale = encoded.get("embedding_scale").floatValue();
        float max = 0;
        for (float x : expected) max = Math.max(max, Math.abs(x));
        assertEquals(max / 127, scale, 1e-9);
        ByteBuffer bytes = decoded(encoded);
        assertEquals(DIMS, bytes.remaining());
        for (float x : expected) {
            float back = bytes.get() * scale;
            assertTrue(Math.abs(back - x) <= scale / 2 + 1e-7f, x + " came back as " + back);
        }
    }

    @Test
    void dimensionsCutTheVectorAndScaleItBackToLengthOne() {
        ObjectNode fields = embedding(4);
        float[] full = floats(fields);
        float[] cut = floats(new VectorEncoding(VectorEncoding.Kind.JSON, 64).apply(fields));
        assertEquals(64, cut.length);
        double norm = 0, prefixNorm = 0;
        for (int i = 0; i < 64; i++) { norm += cut[i] * cut[i]; prefixNorm += full[i] * full[i]; }
        assertEquals(1.0, norm, 1e-5);
        for (int i = 0; i < 64; i++) assertEquals(full[i] / Math.sqrt(prefixNorm), cut[i], 1e-6);
        assertEquals(DIMS, floats(new VectorEncoding(VectorEncoding.Kind.JSON, 1000).apply(fields)).length, "more than there are: all");
        assertEquals(4 * 64, decoded(new VectorEncoding(VectorEncoding.Kind.BASE64_F32, 64).apply(fields)).remaining());
    }

    @Test
    void otherResultsAndTheDefaultAreLeftAsTheyAre() {
        ObjectNode fields = embedding(5);
        assertSame(fields, VectorEncoding.JSON.apply(fields));
        ObjectNode label = JsonNodeFactory.instance.objectNode().put("label", "x");
        assertSame(label, new VectorEncoding(VectorEncoding.Kind.INT8, 8).apply(label));
        ObjectNode copy = fields.deepCopy();
        new VectorEncoding(VectorEncoding.Kind.INT8, 8).apply(fields);
        assertEquals(copy, fields, "the input (maybe a cached result) is not changed");
    }

    @Test
    void unknownEncodingsAreRefusedInOneSentence() {
        var e = assertThrows(IllegalArgumentException.class, () -> VectorEncoding.Kind.parse("base64"));
        assertEquals("Unknown vector encoding 'base64': use json, base64-f32, base64-f16 or int8 (--vector-encoding; topology file: vectorEncoding).",
                e.getMessage());
    }

    /** What each encoding saves per event for 384 dimensions, the numbers in README. */
    @Test
    void bytesPerEventFor384Dimensions() throws Exception {
        ObjectNode fields = embedding(6);
        int json = EventParser.mapper().writeValueAsBytes(fields).length;
        int f32 = EventParser.mapper().writeValueAsBytes(new VectorEncoding(VectorEncoding.Kind.BASE64_F32, 0).apply(fields)).length;
        int f16 = EventParser.mapper().writeValueAsBytes(new VectorEncoding(VectorEncoding.Kind.BASE64_F16, 0).apply(fields)).length;
        int int8 = EventParser.mapper().writeValueAsBytes(new VectorEncoding(VectorEncoding.Kind.INT8, 0).apply(fields)).length;
        System.out.printf("384 dims: json %d, base64-f32 %d, base64-f16 %d, int8 %d bytes%n", json, f32, f16, int8);
        assertTrue(json > f32 && f32 > f16 && f16 > int8);
    }
}
