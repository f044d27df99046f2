/**
 * Engine selection: {@link dev.streamformer.engine.factory.Engines} builds an encoder engine or a language model by
 * engine name and device, so that {@code task} depends on the {@code engine} interfaces and this factory, never on
 * ONNX Runtime or the Java Transformer themselves.
 *
 * <p>May depend on: {@code engine}, {@code engine.java}, {@code engine.java.decoder}, {@code engine.onnx} and
 * {@code model}.
 */
package dev.streamformer.engine.factory;
