/**
 * Models (third stage): WordPiece, BPE (byte-level as in GPT-2, Llama 3 and Qwen; SentencePiece-style with byte
 * fallback as in Llama 2 and Gemma), Unigram; each turns one word into vocabulary tokens.
 */
package dev.streamformer.tokenize.model;
