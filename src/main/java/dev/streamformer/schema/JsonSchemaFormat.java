package dev.streamformer.schema;

import dev.streamformer.event.InvalidEventException;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * JSON events checked against a JSON Schema file ({@code --schema-file}) by the networknt validator: an event that
 * breaks the schema is an {@link InvalidEventException} with the reason {@value AvroFormat#SCHEMA_MISMATCH} and the
 * validator's first message. A schema without {@code $schema} is read as draft 2020-12. Thread-safe.
 */
public final class JsonSchemaFormat {

    private final String name;
    private final Schema schema;

    private JsonSchemaFormat(String name, Schema schema) {
        this.name = name;
        this.schema = schema;
    }

    /** The schema in a JSON Schema file; one sentence with the fix when it cannot be used. */
    public static JsonSchemaFormat fromSchemaFile(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("The JSON Schema file " + file + " does not exist: give the path of the schema"
                    + " the producer writes with (--schema-file).", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read the JSON Schema file " + file + " (" + e.getMessage()
                    + "): give the path of a readable schema file (--schema-file).", e);
        }
        try {
            Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(text, InputFormat.JSON);
            schema.initializeValidators();
            return new JsonSchemaFormat(file.getFileName().toString(), schema);
        } catch (SchemaException | IllegalArgumentException e) {
            throw new IllegalArgumentException("The JSON Schema file " + file + " is not a valid schema (" + e.getMessage()
                    + "): fix it, or give the schema the producer writes with (--schema-file).", e);
        }
    }

    /** Passes a valid event; {@value AvroFormat#SCHEMA_MISMATCH} with the first broken rule otherwise. */
    public void check(ObjectNode event) {
        List<Error> errors = schema.validate(event);
        if (!errors.isEmpty()) {
            String more = errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : "";
            throw new InvalidEventException(AvroFormat.SCHEMA_MISMATCH, "The event does not match the JSON Schema " + name
                    + ": " + errors.getFirst().getMessage() + more + ".");
        }
    }
}
