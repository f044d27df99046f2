/**
 * Task construction: {@link dev.streamformer.task.factory.TaskSpec} holds every setting of a task, as the command-line
 * flags and topology files give it, and builds the task it names: embed, classify (fine-tuned, zero-shot or a trained
 * head), rerank, entities or generate. It sits above {@code task} and its {@code task.generate} and {@code task.train},
 * so that those use {@code task}'s contracts and {@code task} uses neither of them.
 *
 * <p>May depend on: {@code chat}, {@code engine}, {@code engine.factory}, {@code engine.java.decoder}, {@code model},
 * {@code task}, {@code task.generate}, {@code task.train} and {@code tokenize}.
 */
package dev.streamformer.task.factory;
