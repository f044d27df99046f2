/**
 * Benchmarks that run the product's real paths next to a peer in the same run ({@code streamformer bench ...}).
 * May depend on every other package of the product; nothing depends on it but {@code app}.
 */
package dev.streamformer.bench;
