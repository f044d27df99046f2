package dev.streamformer.schema;

import dev.streamformer.event.EventParser;
import dev.streamformer.event.InvalidEventException;
import dev.streamformer.event.ValueFormat;
import dev.streamformer.event.ValueFormats;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.UnknownFieldSet;
import com.squareup.wire.ProtoAdapter;
import com.squareup.wire.schema.Location;
import com.squareup.wire.schema.Schema;
import com.squareup.wire.schema.SchemaLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Protobuf values against implementations that are not ours: {@code review.binpb} was encoded by protoc 3.21.12
 * ({@code protoc --encode=shop.Review reviews.proto < review.txtpb}) and {@code reviews.desc} written by it
 * ({@code --include_imports --descriptor_set_out}); the output is decoded by Square Wire's own runtime
 * ({@link ProtoAdapter}) from the {@code .proto} text we print for it, and by protobuf-java with the input's type.
 */
class ProtobufFormatTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DIR = resourceDir();

    private static Path resourceDir() {
        try {
            return Path.of(ProtobufFormatTest.class.getResource("reviews.proto").toURI()).getParent();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] review() throws IOException {
        try (InputStream in = ProtobufFormatTest.class.getResourceAsStream("review.binpb")) {
            return in.readAllBytes();
        }
    }

    private static ProtobufFormat format(String spec) {
        return ProtobufFormat.fromSchemaFile(DIR.resolve(spec).toString());
    }

    /** What review.txtpb says, as the JSON the reader makes of it (proto field names, enum names, bytes as base64). */
    private static final String REVIEW_JSON = """
            {"id":42,"text":"Great kettle, boils fast.","stars":5,"tags":["kitchen","kettle"],"lang":"EN",
             "attrs":{"price":19.5},"photo":"AQID","author":{"name":"Ada","bio":"Tea drinker, writes about kettles."},
             "at":{"seconds":1700000000,"nanos":5},"views":18446744073709551615}""";

    @Test
    void aMessageEncodedByProtocIsReadAsTheEventFromTheProtoAndFromTheDescriptorSet() throws IOException {
        ObjectNode fromProto = format("reviews.proto#shop.Review").toEvent(format("reviews.proto#shop.Review").read(review()));
        ObjectNode fromDesc = format("reviews.desc#shop.Review").toEvent(format("reviews.desc#shop.Review").read(review()));
        assertEquals(JSON.readTree(REVIEW_JSON).toString(), fromProto.toString());
        assertEquals(fromProto, fromDesc);
        assertEquals("Great kettle, boils fast.", new EventParser("text", 1000).parseJson(fromProto.toString()).text());
        assertEquals("Ada", new EventParser("author.name", 1000).parseJson(fromProto.toString()).text());
    }

    @Test
    void theEnrichedMessageKeepsTheInputAndAddsTheResultsAsWireReadsThemFromThePrintedProto(@TempDir Path dir) throws IOException {
        ProtobufFormat format = format("reviews.proto#shop.Review");
        DynamicMessage input = format.read(review());
        ObjectNode enriched = format.toEvent(input);
        enriched.putArray("embedding").add(0.25).add(-1.5);
        enriched.put("model", "all-minilm-l6-v2").put("truncated", true);
        enriched.putObject("scores").put("very positive", 0.875).put("negative", 0.125);
        enriched.putArray("entities").addObject().put("word", "Ada").put("start", 0).put("score", 0.5);
        byte[] out = format.write(input, enriched, false);

        // Wire, from the .proto text we print for consumers
        Files.writeString(dir.resolve("out.proto"), format.outputProto(enriched));
        SchemaLoader loader = new SchemaLoader(FileSystems.getDefault());
        loader.initRoots(List.of(Location.get(dir.toString(), "out.proto")), List.of());
        Schema printed = loader.loadSchema();
        @SuppressWarnings("unchecked")
        Map<String, Object> decoded = (Map<String, Object>) printed.protoAdapter("shop.Review", true).decode(out);
        assertEquals(42L, decoded.get("id"));
        assertEquals("Great kettle, boils fast.", decoded.get("text"));
        assertEquals(List.of("kitchen", "kettle"), decoded.get("tags"));
        assertEquals(List.of(0.25, -1.5), decoded.get("embedding"));
        assertEquals("all-minilm-l6-v2", decoded.get("model"));
        assertEquals(true, decoded.get("truncated"));
        assertEquals(Map.of("very positive", 0.875, "negative", 0.125), decoded.get("scores"));
        @SuppressWarnings("unchecked")
        Map<String, Object> entity = ((List<Map<String, Object>>) decoded.get("entities")).getFirst();
        assertEquals("Ada", entity.get("word"));
        assertEquals(0.5, entity.get("score"));

        // a reader of the input type reads it too (adding fields is compatible): the input fields as they were
        DynamicMessage old = DynamicMessage.parseFrom(format.messageType(), out);
        assertEquals(JSON.readTree(REVIEW_JSON).toString(), ProtobufJson.toJson(old).toString());
        assertFalse(old.getUnknownFields().asMap().isEmpty(), "the results are unknown fields to an old reader");
    }

    @Test
    void unknownFieldsOfTheInputAreKeptAndDroppedWithTheInputFields() throws IOException {
        ProtobufFormat format = format("reviews.proto#shop.Review");
        // field 15 (not in reviews.proto), varint 7: tag (15 << 3 | 0) = 0x78, then 0x07, as a newer producer writes it
        byte[] newer = Arrays.copyOf(review(), review().length + 2);
        newer[newer.length - 2] = 0x78;
        newer[newer.length - 1] = 0x07;
        DynamicMessage input = format.read(newer);
        ObjectNode enriched = format.toEvent(input).put("label", "positive");
        UnknownFieldSet kept = DynamicMessage.parseFrom(format.messageType(), format.write(input, enriched, false)).getUnknownFields();
        assertEquals(List.of(7L), kept.getField(15).getVarintList());

        ObjectNode alone = JSON.createObjectNode().put("label", "positive");
        DynamicMessage resultOnly = DynamicMessage.parseFrom(format.outputType(alone), format.write(input, alone, true));
        assertEquals("{\"id\":0,\"text\":\"\",\"tags\":[],\"lang\":\"LANG_UNSPECIFIED\",\"attrs\":{},\"photo\":\"\",\"views\":0,"
                + "\"label\":\"positive\"}", ProtobufJson.toJson(resultOnly).toString());
        assertTrue(resultOnly.getUnknownFields().asMap().isEmpty());
    }

    @Test
    void anAddedFieldHasTheSameNumberWhateverElseTheRecordHas() throws IOException {
        ProtobufFormat format = format("reviews.proto#shop.Review");
        DynamicMessage input = format.read(review());
        ObjectNode one = format.toEvent(input).put("label", "a").put("model", "m");
        ObjectNode two = format.toEvent(input).put("truncated", true).put("model", "m").put("label", "b");
        assertEquals(format.outputType(one).findFieldByName("label").getNumber(), format.outputType(two).findFieldByName("label").getNumber());
        assertEquals(format.outputType(one).findFieldByName("model").getNumber(), format.outputType(two).findFieldByName("model").getNumber());
        assertNotEquals(format.outputType(one).findFieldByName("label").getNumber(), format.outputType(one).findFieldByName("model").getNumber());
    }

    @Test
    void aResultThatReplacesAnInputFieldTakesItsTypeOrIsUnwritable() throws IOException {
        ValueFormat protobuf = ValueFormats.create("protobuf", Map.of("schemaFile", DIR.resolve("reviews.proto") + "#shop.Review"));
        ValueFormat.Decoded decoded = protobuf.read("reviews", review());
        decoded.event().put("text", "replaced");
        DynamicMessage out = DynamicMessage.parseFrom(format("reviews.proto#shop.Review").messageType(),
                protobuf.write("out", decoded, decoded.event()));
        assertEquals("replaced", ProtobufJson.toJson(out).get("text").textValue());

        ValueFormat.Decoded again = protobuf.read("reviews", review());
        again.event().put("stars", "five");
        var e = assertThrows(InvalidEventException.class, () -> protobuf.write("out", again, again.event()));
        assertEquals("unwritable-protobuf", e.reason());
        assertTrue(e.getMessage().contains("'stars' is a string, expected a 32-bit whole number."), e.getMessage());
    }

    @Test
    void writesTheEnrichedEventAsJsonWhenAskedAndRefusesAnOutputFormatItCannotWrite() throws IOException {
        String schemaFile = DIR.resolve("reviews.proto") + "#shop.Review";
        ValueFormat protobuf = ValueFormats.create("protobuf", Map.of("schemaFile", schemaFile, "outputFormat", "json"));
        ValueFormat.Decoded decoded = protobuf.read("reviews", review());
        byte[] out = protobuf.write("out", decoded, decoded.event().put("label", "positive"));
        assertEquals(((ObjectNode) JSON.readTree(REVIEW_JSON)).put("label", "positive"), JSON.readTree(out));
        var wrong = assertThrows(IllegalArgumentException.class,
                () -> ValueFormats.create("protobuf", Map.of("schemaFile", schemaFile, "outputFormat", "avro")));
        assertEquals("Output format 'avro' does not fit --value-format protobuf: leave it out (a message of the evolved"
                + " protobuf schema) or give json (--output-format json; topology file: outputFormat).", wrong.getMessage());
    }

    @Test
    void badValuesAreDeadLettersWithTheirReason() throws IOException {
        ProtobufFormat format = format("reviews.proto#shop.Review");
        byte[] truncated = Arrays.copyOf(review(), 20);
        var cut = assertThrows(InvalidEventException.class, () -> format.read(truncated));
        assertEquals("schema-mismatch", cut.reason());

        byte[] framed = new byte[review().length + 6];
        framed[4] = 42; // magic byte 0, schema id 42, message index [0] (one byte 0), then the message
        System.arraycopy(review(), 0, framed, 6, review().length);
        var prefixed = assertThrows(InvalidEventException.class, () -> format.read(framed));
        assertEquals("wire-format-prefix", prefixed.reason());
        assertTrue(prefixed.getMessage().startsWith("The value looks like Confluent wire format (magic byte 0, then schema id 42)"),
                prefixed.getMessage());
    }

    @Test
    void aSchemaWithoutTheTextFieldOrWithSeveralMessagesIsRefusedAtStartInOneSentence() {
        ProtobufFormat format = format("reviews.proto#shop.Review");
        format.requireTextField("text");
        format.requireTextField("author.name");
        format.requireTextField("/author/bio");
        for (String missing : List.of("body", "tags", "id", "author.nope", "author")) {
            var e = assertThrows(IllegalArgumentException.class, () -> format.requireTextField(missing));
            assertTrue(e.getMessage().startsWith("The Protobuf message shop.Review has no string field '" + missing + "'"), e.getMessage());
        }
        var viaSettings = assertThrows(IllegalArgumentException.class, () -> ValueFormats.create("protobuf",
                Map.of("schemaFile", DIR.resolve("reviews.proto") + "#shop.Order", "textField", "text")));
        assertEquals("The Protobuf message shop.Order has no string field 'text' (Order's fields: sku, quantity): name the"
                + " field that holds the text (--text-field; topology file: textField), or give the producer's message"
                + " (--schema-file FILE#package.Message).", viaSettings.getMessage());

        var several = assertThrows(IllegalArgumentException.class, () -> format("reviews.proto"));
        assertTrue(several.getMessage().contains("declares several messages (shop.Review, shop.Order): name the producer's after a #"),
                several.getMessage());
        var unknown = assertThrows(IllegalArgumentException.class, () -> format("reviews.proto#shop.Nope"));
        assertTrue(unknown.getMessage().contains("has no message 'shop.Nope'"), unknown.getMessage());
        var none = assertThrows(IllegalArgumentException.class, () -> ValueFormats.create("protobuf", Map.of()));
        assertTrue(none.getMessage().endsWith("(--schema-file FILE.proto#package.Message; topology file: schemaFile)."), none.getMessage());
    }

    @Test
    void aBrokenProtoIsRefusedInOneSentence(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("broken.proto"), "syntax = \"proto3\";\nmessage Note { string text = 1 }\n");
        var e = assertThrows(IllegalArgumentException.class, () -> ProtobufFormat.fromSchemaFile(dir.resolve("broken.proto").toString()));
        assertTrue(e.getMessage().startsWith("The Protobuf schema file " + dir.resolve("broken.proto") + " is not a valid .proto ("),
                e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        var missing = assertThrows(IllegalArgumentException.class, () -> ProtobufFormat.fromSchemaFile(dir.resolve("no.proto").toString()));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
    }

    @Test
    void theEnrichedMessageOfTheSameInputIsTheSameBytesEachTime() throws IOException {
        ProtobufFormat format = format("reviews.proto#shop.Review");
        DynamicMessage input = format.read(review());
        ObjectNode a = format.toEvent(input).put("label", "x");
        ObjectNode b = format.toEvent(input).put("label", "x");
        assertArrayEquals(format.write(input, a, false), format.write(input, b, false));
    }
}
