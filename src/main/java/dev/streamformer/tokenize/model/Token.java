package dev.streamformer.tokenize.model;

/**
 * One token from the model.
 *
 * @param id    vocabulary id
 * @param value token string as in the vocabulary
 * @param start start offset, {@code end} exclusive; in code points of the word the model was given
 */
public record Token(int id, String value, int start, int end) {}
