/**
 * The embedded single-node Apache Kafka broker in KRaft mode, started from Kafka's own server classes. Used by demo,
 * broker and tests.
 *
 * <p>May depend on: Kafka.
 */
package dev.streamformer.broker;
