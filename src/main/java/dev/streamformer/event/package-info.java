/**
 * The event core, the same for the Kafka pipeline and the command line, and free of Kafka: read a record's value in the
 * stage's {@link dev.streamformer.event.ValueFormat} ({@code json}, {@code text}, or one a provider adds, looked up by
 * name in {@link dev.streamformer.event.ValueFormats}), parse the event with every check
 * ({@link dev.streamformer.event.EventParser}: strict UTF-8, one JSON object, no duplicate keys, exact numbers, limited
 * nesting, a non-blank text within its byte limit, the text from a {@link dev.streamformer.event.FieldPath} or a
 * {@link dev.streamformer.event.TextTemplate}), run a batch with each text's failure isolated and
 * non-finite results refused ({@link dev.streamformer.event.BatchInference}, {@link dev.streamformer.event.Isolation}),
 * enrich and write the event ({@link dev.streamformer.event.Enrichment}: the result next to the input fields, in one
 * field, alone or in a header; embeddings encoded by {@link dev.streamformer.event.VectorEncoding}). Every refusal is an
 * {@link dev.streamformer.event.InvalidEventException} or a failed outcome with a short reason (e.g. {@code malformed-json},
 * {@code model-failure}) that both paths report: as a dead-letter header on Kafka, as {@code reason} of an error line on
 * the command line. A format that cannot work for now throws {@link dev.streamformer.event.FormatUnavailableException}
 * instead: the record is retried, never refused.
 *
 * <p>May depend on: {@code task} (the {@code Task} and {@code EventInput} contracts) and Jackson; not Kafka.
 */
package dev.streamformer.event;
