/**
 * The {@code generate} task: prompt in, text out. {@link dev.streamformer.task.generate.Generator} runs batched
 * decoding (one forward per step for all prompts in flight, whatever their lengths) on a
 * {@link dev.streamformer.engine.LanguageModel}; {@link dev.streamformer.task.generate.Sampler} picks
 * each token (greedy, temperature, top-k, top-p, repetition penalty, seeded);
 * {@link dev.streamformer.task.generate.TextStream} turns tokens into text safely (never half a UTF-8 character,
 * never part of a stop string); {@link dev.streamformer.task.generate.GenerateTask} is the stream stage.
 *
 * <p>May depend on: {@code chat}, {@code engine}, {@code engine.java.decoder}, {@code task}, {@code tensor} and
 * {@code tokenize}.
 */
package dev.streamformer.task.generate;
