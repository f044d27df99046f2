package dev.streamformer.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamformer.event.InvalidEventException;
import dev.streamformer.event.ValueFormat;
import dev.streamformer.event.ValueFormats;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Protobuf value reader ({@code --value-format protobuf}, message {@code shop.Review} of the schema tests'
 * {@code reviews.proto}): any bytes give either an event or an {@link InvalidEventException} with a documented reason,
 * never anything that would stop the stream thread; and an event read is written back, enriched, as bytes that read
 * as the same event plus the result.
 */
class ProtobufReaderFuzzTest {

    private static final Set<String> REASONS = Set.of("schema-mismatch", "wire-format-prefix");

    private static final ValueFormat PROTOBUF = ValueFormats.create("protobuf", Map.of("schemaFile", reviewsProto() + "#shop.Review"));

    private static Path reviewsProto() {
        try {
            return Path.of(ProtobufReaderFuzzTest.class.getResource("/dev/streamformer/schema/reviews.proto").toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @FuzzTest
    void anyBytes(byte[] value) {
        ValueFormat.Decoded decoded;
        try {
            decoded = PROTOBUF.read("reviews", value);
        } catch (InvalidEventException e) {
            assertTrue(REASONS.contains(e.reason()), "undocumented reason " + e.reason());
            assertFalse(e.getMessage().isBlank());
            return;
        }
        ObjectNode input = decoded.event().deepCopy();
        ObjectNode enriched = decoded.event().put("label", "positive");
        enriched.putArray("embedding").add(0.5).add(-0.25);
        byte[] written = PROTOBUF.write("reviews.enriched", decoded, enriched);
        // read back as the input type: the input's fields as they were (the results are unknown fields to it)
        assertEquals(input, PROTOBUF.read("reviews", written).event());
    }
}
