/** Command line (picocli): demo, run, broker, embed, classify, rerank, entities, generate, tokenize, bench. Depends on everything below; nothing depends on it. */
package dev.streamformer.app;
