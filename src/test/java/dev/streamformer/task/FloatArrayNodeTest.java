package dev.streamformer.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * An embedding kept as its float[] reads, compares and writes as Jackson's own array of one FloatNode per number (the
 * representation it replaces, built here with {@code ArrayNode.add(float)}).
 */
class FloatArrayNodeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Numbers whose text is easy to get wrong (a double's digits for 0.1f, -0.0, subnormals, extremes) and random ones. */
    private static float[] values() {
        float[] edge = {0f, -0f, 0.1f, -0.33333334f, 1e-8f, Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, 123456.79f, 1f};
        float[] v = new float[384];
        System.arraycopy(edge, 0, v, 0, edge.length);
        Random random = new Random(7);
        for (int i = edge.length; i < v.length; i++) v[i] = (float) random.nextGaussian() / 20;
        return v;
    }

    private static ArrayNode floatNodes(float[] v) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (float x : v) array.add(x);
        return array;
    }

    @Test
    void writesTheSameBytesAsAFloatNodePerNumber() throws Exception {
        float[] v = values();
        assertArrayEquals(JSON.writeValueAsBytes(floatNodes(v)), JSON.writeValueAsBytes(new FloatArrayNode(v)));
        ObjectNode event = JSON.createObjectNode().put("text", "a");
        assertEquals(JSON.writeValueAsString(event.deepCopy().set("embedding", floatNodes(v))),
                event.set("embedding", new FloatArrayNode(v)).toString());
    }

    @Test
    void readsAndComparesAsAnArrayOfFloatNodes() {
        float[] v = values();
        FloatArrayNode node = new FloatArrayNode(v);
        ArrayNode plain = floatNodes(v);
        assertEquals(plain, node);
        assertEquals(node, plain);
        assertEquals(plain.hashCode(), node.hashCode());
        assertEquals(v.length, node.size());
        int i = 0;
        for (JsonNode x : node) {
            assertTrue(x.isFloat(), x.getNodeType().toString());
            assertEquals(v[i++], x.floatValue());
        }
        assertEquals(v.length, i);
        assertEquals(v[2], node.get(2).floatValue());
        assertTrue(node.path(v.length).isMissingNode());
    }

    @Test
    void isReadOnlyButItsDeepCopyIsAPlainWritableArray() {
        FloatArrayNode node = new FloatArrayNode(values());
        assertThrows(UnsupportedOperationException.class, () -> node.add(1f));
        ArrayNode copy = node.deepCopy();
        assertEquals(ArrayNode.class, copy.getClass());
        assertEquals(node, copy);
        copy.add(1f);
        assertEquals(node.size() + 1, copy.size());
    }
}
