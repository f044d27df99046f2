/** Command line (picocli): demo, run, broker, embed, classify, generate, tokenize, bench. Depends on everything below; nothing depends on it. */
package dev.streamformer.app;
