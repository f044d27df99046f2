/** Our tokenizer.json pipeline: normalizer, pre-tokenizer, model (WordPiece, BPE, Unigram), post-processor, decoder. A leaf: depends on nothing else here. */
package dev.streamformer.tokenize;
