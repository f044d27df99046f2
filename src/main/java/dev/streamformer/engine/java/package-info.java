/** Streamformer's own Transformer, written as the Transformer is taught: embeddings, attention, encoder and decoder blocks. */
package dev.streamformer.engine.java;
