package dev.streamformer.schema;

import dev.streamformer.event.EventParser;
import dev.streamformer.event.InvalidEventException;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Values written and read back by Apache Avro itself, so our reading and writing are checked against the library. */
class AvroFormatTest {

    private static final Schema REVIEW = new Schema.Parser().parse("""
            {"type": "record", "name": "Review", "namespace": "shop", "fields": [
              {"name": "id", "type": "long"},
              {"name": "text", "type": "string"},
              {"name": "stars", "type": ["null", "int"], "default": null},
              {"name": "tags", "type": {"type": "array", "items": "string"}},
              {"name": "lang", "type": {"type": "enum", "name": "Lang", "symbols": ["EN", "DE"]}},
              {"name": "attrs", "type": {"type": "map", "values": "double"}},
              {"name": "photo", "type": "bytes"}
            ]}""");

    private static GenericRecord review() {
        GenericRecord r = new GenericData.Record(REVIEW);
        r.put("id", 42L);
        r.put("text", "Great kettle, boils fast.");
        r.put("stars", 5);
        r.put("tags", List.of("kitchen", "kettle"));
        r.put("lang", new GenericData.EnumSymbol(REVIEW.getField("lang").schema(), "EN"));
        r.put("attrs", Map.of("price", 19.5));
        r.put("photo", ByteBuffer.wrap(new byte[] {1, 2, 3}));
        return r;
    }

    private static byte[] avro(GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static GenericRecord readAs(Schema writer, Schema reader, byte[] bytes) throws IOException {
        return new GenericDatumReader<GenericRecord>(writer, reader).read(null, DecoderFactory.get().binaryDecoder(bytes, null));
    }

    @Test
    void aRecordIsReadAsTheEventWithPlainUnionValues() throws IOException {
        ObjectNode event = new AvroFormat(REVIEW).read(avro(review()));
        assertEquals("""
                {"id":42,"text":"Great kettle, boils fast.","stars":5,"tags":["kitchen","kettle"],"lang":"EN",\
                "attrs":{"price":19.5},"photo":"AQID"}""", event.toString());
        assertEquals("Great kettle, boils fast.", new EventParser("text", 1000).parseJson(event.toString()).text());
    }

    @Test
    void theEnrichedEventIsARecordOfTheEvolvedSchemaThatKeepsEveryInputField() throws IOException {
        AvroFormat format = new AvroFormat(REVIEW);
        ObjectNode event = format.read(avro(review()));
        event.putArray("embedding").add(0.25).add(-0.5);
        event.put("model", "minilm");

        byte[] written = format.write(event);
        Schema evolved = format.outputSchema(event);
        GenericRecord out = readAs(evolved, evolved, written);

        assertEquals("shop.Review", evolved.getFullName());
        assertEquals(42L, out.get("id"));
        assertEquals("Great kettle, boils fast.", out.get("text").toString());
        assertEquals(5, out.get("stars"));
        assertEquals("EN", out.get("lang").toString());
        assertEquals(ByteBuffer.wrap(new byte[] {1, 2, 3}), out.get("photo"));
        assertEquals(List.of(0.25, -0.5), out.get("embedding"));
        assertEquals("minilm", out.get("model").toString());
        assertEquals(Schema.Type.UNION, evolved.getField("embedding").schema().getType());
    }

    @Test
    void theEvolvedSchemaIsBackwardCompatibleSoItReadsTheInputRecords() throws IOException {
        AvroFormat format = new AvroFormat(REVIEW);
        ObjectNode event = format.read(avro(review()));
        event.put("label", "positive").put("score", 0.98);
        event.putObject("scores").put("positive", 0.98).put("negative", 0.02);
        Schema evolved = format.outputSchema(event);

        var backward = SchemaCompatibility.checkReaderWriterCompatibility(evolved, REVIEW);
        assertEquals(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE, backward.getType(), backward.getDescription());
        GenericRecord old = readAs(REVIEW, evolved, avro(review()));
        assertEquals(42L, old.get("id"));
        assertNull(old.get("label"));
        assertNull(old.get("scores"));
        // and a reader still on the input schema reads the enriched records (it skips the added fields)
        GenericRecord current = readAs(evolved, REVIEW, format.write(event));
        assertEquals("Great kettle, boils fast.", current.get("text").toString());
    }

    @Test
    void droppedInputFieldsAreLeftOutOfTheOutputSchemaAndAResultInOneFieldIsARecord() throws IOException {
        AvroFormat format = new AvroFormat(REVIEW);
        ObjectNode resultAlone = new AvroFormat(REVIEW).read(avro(review())).removeAll();
        resultAlone.put("label", "positive").put("model", "sst2");
        Schema alone = format.outputSchema(resultAlone);
        assertEquals(List.of("label", "model"), alone.getFields().stream().map(Schema.Field::name).toList());
        assertEquals("positive", readAs(alone, alone, format.write(resultAlone)).get("label").toString());

        ObjectNode nested = format.read(avro(review()));
        nested.putObject("result").put("label", "positive").put("score", 0.9);
        Schema withResult = format.outputSchema(nested);
        GenericRecord result = (GenericRecord) readAs(withResult, withResult, format.write(nested)).get("result");
        assertEquals(0.9, result.get("score"));
    }

    @Test
    void scoresOfLabelsThatAreNotAvroNamesAreAMapAndAResultFieldThatIsNotANameIsRefused() throws IOException {
        AvroFormat format = new AvroFormat(REVIEW);
        ObjectNode event = format.read(avro(review()));
        event.putObject("scores").put("very positive", 0.9).put("LABEL-1", 0.1);
        Schema evolved = format.outputSchema(event);
        assertEquals(Schema.Type.MAP, evolved.getField("scores").schema().getTypes().get(1).getType());
        Map<?, ?> scores = (Map<?, ?>) readAs(evolved, evolved, format.write(event)).get("scores");
        assertEquals(0.9, scores.get(new org.apache.avro.util.Utf8("very positive")));

        ObjectNode badName = format.read(avro(review())).put("my-result", 1);
        var e = assertThrows(IllegalArgumentException.class, () -> format.write(badName));
        assertTrue(e.getMessage().startsWith("The result field 'my-result' is not an Avro field name"), e.getMessage());
    }

    @Test
    void aResultThatReplacesAnInputFieldOfAnotherTypeCannotBeWritten() throws IOException {
        AvroFormat format = new AvroFormat(REVIEW);
        ObjectNode event = format.read(avro(review()));
        event.put("stars", "five");
        var e = assertThrows(IllegalArgumentException.class, () -> format.write(event));
        assertTrue(e.getMessage().contains("'Review.stars' is a string"), e.getMessage());
    }

    @Test
    void aFixedOfAnotherSizeOrBytesThatAreNotBase64CannotBeWritten() throws IOException {
        Schema hashed = new Schema.Parser().parse("""
                {"type": "record", "name": "Doc", "fields": [{"name": "text", "type": "string"},
                 {"name": "hash", "type": {"type": "fixed", "name": "Md5", "size": 16}}, {"name": "raw", "type": "bytes"}]}""");
        GenericRecord doc = new GenericData.Record(hashed);
        doc.put("text", "hi");
        doc.put("hash", new GenericData.Fixed(hashed.getField("hash").schema(), new byte[16]));
        doc.put("raw", ByteBuffer.wrap(new byte[] {9}));
        AvroFormat format = new AvroFormat(hashed);
        ObjectNode event = format.read(avro(doc));
        assertArrayEquals(avro(doc), format.write(event));

        var shortHash = assertThrows(IllegalArgumentException.class, () -> format.write(event.deepCopy().put("hash", "AAEC")));
        assertTrue(shortHash.getMessage().contains("'Doc.hash' holds 3 bytes, expected 16"), shortHash.getMessage());
        assertThrows(IllegalArgumentException.class, () -> format.write(event.deepCopy().put("raw", "not base64!")));
    }

    @Test
    void aDecimalIsANumberWithItsScaleBothWays() throws IOException {
        Schema priced = new Schema.Parser().parse("""
                {"type": "record", "name": "Item", "fields": [{"name": "text", "type": "string"},
                 {"name": "price", "type": {"type": "bytes", "logicalType": "decimal", "precision": 6, "scale": 2}}]}""");
        GenericRecord item = new GenericData.Record(priced);
        item.put("text", "kettle");
        var decimal = (org.apache.avro.LogicalTypes.Decimal) priced.getField("price").schema().getLogicalType();
        item.put("price", new org.apache.avro.Conversions.DecimalConversion()
                .toBytes(new java.math.BigDecimal("19.90"), priced.getField("price").schema(), decimal));
        AvroFormat format = new AvroFormat(priced);
        ObjectNode event = format.read(avro(item));
        assertEquals("{\"text\":\"kettle\",\"price\":19.90}", event.toString());
        assertArrayEquals(avro(item), format.write(event));

        var rounding = assertThrows(IllegalArgumentException.class, () -> format.write(event.deepCopy().put("price", 19.999)));
        assertTrue(rounding.getMessage().contains("more than the 2 decimal places"), rounding.getMessage());
        var tooLarge = assertThrows(IllegalArgumentException.class, () -> format.write(event.deepCopy().put("price", 123456)));
        assertTrue(tooLarge.getMessage().contains("more than the 6 digits"), tooLarge.getMessage());
    }

    @Test
    void truncatedBytesAreASchemaMismatch() throws IOException {
        byte[] whole = avro(review());
        for (int length : new int[] {0, 1, whole.length / 2, whole.length - 1}) {
            var e = assertThrows(InvalidEventException.class, () -> new AvroFormat(REVIEW).read(Arrays.copyOf(whole, length)));
            assertEquals("schema-mismatch", e.reason(), "length " + length);
        }
    }

    @Test
    void bytesOfAnotherSchemaOrTrailingBytesOrAHugeLengthOrNoValueAreASchemaMismatch() throws IOException {
        byte[] whole = avro(review());
        byte[] trailing = Arrays.copyOf(whole, whole.length + 2);
        byte[] hugeString = {84, (byte) 0xfe, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f, 'a'}; // id 42, then a 2 GB text
        for (byte[] bad : List.of(trailing, hugeString, "{\"text\": \"json\"}".getBytes())) {
            var e = assertThrows(InvalidEventException.class, () -> new AvroFormat(REVIEW).read(bad));
            assertEquals("schema-mismatch", e.reason(), Arrays.toString(bad));
        }
        assertEquals("schema-mismatch", assertThrows(InvalidEventException.class, () -> new AvroFormat(REVIEW).read(null)).reason());
    }

    @Test
    void aSchemaWithoutTheTextFieldGivesMissingTextOnTheNormalPath() throws IOException {
        Schema noText = new Schema.Parser().parse("""
                {"type": "record", "name": "Click", "fields": [{"name": "url", "type": "string"}]}""");
        GenericRecord click = new GenericData.Record(noText);
        click.put("url", "https://example.com");
        ObjectNode event = new AvroFormat(noText).read(avro(click));
        var e = assertThrows(InvalidEventException.class, () -> new EventParser("text", 1000).parseJson(event.toString()));
        assertEquals("missing-text", e.reason());
    }

    @Test
    void aSchemaFileIsReadAndABadOneIsOneSentenceWithTheFix(@TempDir Path dir) throws IOException {
        Path good = Files.writeString(dir.resolve("review.avsc"), REVIEW.toString());
        AvroFormat format = AvroFormat.fromSchemaFile(good);
        assertEquals(REVIEW, format.writerSchema());
        assertArrayEquals(avro(review()), format.write(format.read(avro(review()))));

        Path bad = Files.writeString(dir.resolve("bad.avsc"), "{\"type\": \"record\"}");
        var e = assertThrows(IllegalArgumentException.class, () -> AvroFormat.fromSchemaFile(bad));
        assertTrue(e.getMessage().startsWith("The Avro schema file " + bad + " is not a valid schema"), e.getMessage());
        var missing = assertThrows(IllegalArgumentException.class, () -> AvroFormat.fromSchemaFile(dir.resolve("none.avsc")));
        assertTrue(missing.getMessage().endsWith("(--schema-file)."), missing.getMessage());
        var notRecord = assertThrows(IllegalArgumentException.class, () -> new AvroFormat(Schema.create(Schema.Type.STRING)));
        assertTrue(notRecord.getMessage().contains("expected a record"), notRecord.getMessage());
    }
}
