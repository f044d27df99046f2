/**
 * The embedded Apache Kafka broker in KRaft mode, started from Kafka's own server classes: a single node, or one node
 * of a cluster (replication factor 3, for failover tests). Used by demo, broker and tests.
 *
 * <p>May depend on: Kafka.
 */
package dev.streamformer.broker;
