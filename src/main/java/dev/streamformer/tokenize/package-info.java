/**
 * Our implementation of Hugging Face's {@code tokenizer.json}: {@link dev.streamformer.tokenize.Tokenizer#fromFile}
 * builds the pipeline stage by stage, as the file describes it: added tokens cut out of the raw text, then
 * {@code normalize} (text rewritten, alignments to the original kept in {@code text.NormalizedString}),
 * {@code pretokenize} (words), {@code model} (WordPiece, byte-level BPE, Unigram), truncation, {@code process}
 * (special tokens, type ids) and, for the way back, {@code decode} and {@link dev.streamformer.tokenize.StreamingDecoder}.
 * Ids, type ids and offsets are identical to HF tokenizers' (checked against it through DJL in the tests).
 * The file's padding is not applied: padding is the batcher's job.
 *
 * <p>May depend on: {@code tokenize.decode}, {@code tokenize.model}, {@code tokenize.normalize},
 * {@code tokenize.pretokenize}, {@code tokenize.process} and {@code tokenize.text}.
 */
package dev.streamformer.tokenize;
