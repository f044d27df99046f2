/**
 * The "fine-tune BERT" step on a frozen encoder: train a small classifier head on pooled embeddings, save it as a
 * model directory that {@code --model DIR} classifies with.
 *
 * <p>May depend on: {@code model}, {@code task} and {@code tensor}.
 */
package dev.streamformer.task.train;
