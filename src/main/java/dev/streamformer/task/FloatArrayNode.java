package dev.streamformer.task;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.FloatNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.io.IOException;
import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * A read-only JSON array of floats that keeps the {@code float[]} itself: an embedding (384 numbers for MiniLM) without a
 * {@link FloatNode} held per number. Readers see an ordinary {@link ArrayNode}: {@code size()}, {@code get(i)} and
 * iteration give {@code FloatNode}s made on access, so the Avro, Protobuf and vector encodings read it as before and it
 * equals an array of the same {@code FloatNode}s. Jackson writes the floats straight from the array, with the
 * {@code writeNumber(float)} a {@code FloatNode} uses, so the bytes are the same. {@code deepCopy()} gives a plain,
 * writable array.
 */
final class FloatArrayNode extends ArrayNode {

    private final float[] values;

    FloatArrayNode(float[] values) {
        super(JsonNodeFactory.instance, new Floats(values));
        this.values = values;
    }

    @Override
    public void serialize(JsonGenerator g, SerializerProvider provider) throws IOException {
        g.writeStartArray(this, values.length);
        for (float x : values) g.writeNumber(x);
        g.writeEndArray();
    }

    /** The array's elements as Jackson's {@code ArrayNode} reads them; adding or setting one is refused. */
    private static final class Floats extends AbstractList<JsonNode> implements RandomAccess {
        private final float[] values;

        Floats(float[] values) { this.values = values; }

        @Override public JsonNode get(int i) { return FloatNode.valueOf(values[i]); }

        @Override public int size() { return values.length; }
    }
}
