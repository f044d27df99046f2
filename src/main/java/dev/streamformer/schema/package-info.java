/**
 * Schema formats of event values, free of Kafka: an Avro record is read into the event as a JSON object
 * ({@link dev.streamformer.schema.AvroJson}), and the enriched event is written back as a record of an evolved schema,
 * the input schema plus the result fields, each optional with a null default so that the evolved schema is BACKWARD
 * compatible with the input schema ({@link dev.streamformer.schema.EvolvedSchema}). {@link dev.streamformer.schema.AvroFormat}
 * does both for one writer schema read from a file ({@code --schema-file}: the raw Avro binary, without a registry's
 * wire-format prefix). {@link dev.streamformer.schema.JsonSchemaFormat} checks JSON events against a JSON Schema file.
 * Bytes that do not decode, and events that break their JSON Schema, are an {@code InvalidEventException} with the
 * reason {@code schema-mismatch}. The value formats {@code avro} ({@link dev.streamformer.schema.AvroValueFormat}) and
 * {@code json-schema} ({@link dev.streamformer.schema.JsonSchemaValueFormat}) put them behind the event core's
 * {@code ValueFormat}, found by name through {@code META-INF/services}.
 *
 * <p>Protobuf the same way: {@link dev.streamformer.schema.ProtobufFormat} reads values of one message type of a
 * {@code .proto} file (parsed by Square Wire) or a {@code protoc} descriptor set into events through protobuf-java's
 * {@code DynamicMessage}, and writes the enriched event as the input message plus the result fields
 * ({@link dev.streamformer.schema.EvolvedMessage}; unknown fields kept), printing the output type as {@code .proto}
 * text; format {@code protobuf} ({@link dev.streamformer.schema.ProtobufValueFormat}). A value framed by a registry
 * (Confluent wire format) is a dead letter that says so ({@code wire-format-prefix}).
 *
 * <p>May depend on: {@code event} (its {@code ValueFormat} and {@code InvalidEventException}), Jackson, Apache Avro, the networknt JSON
 * Schema validator, protobuf-java and Square Wire's schema parser; not Kafka.
 */
package dev.streamformer.schema;
