/**
 * Models (third stage): WordPiece, BPE (byte-level as in GPT-2, Llama 3 and Qwen; SentencePiece-style with byte
 * fallback as in Llama 2 and Gemma), Unigram; each turns one word into vocabulary tokens.
 *
 * <p>May depend on nothing else in Streamformer.
 */
package dev.streamformer.tokenize.model;
