/** What a stage publishes: embeddings (pooling, normalisation, prompts), classifications, rerankings, entities, generated text. Turns token batches into JSON fields; knows engines and tokenizers, not Kafka. */
package dev.streamformer.task;
