/** The Kafka Streams topology: parse and validate, batch by token budget inside exactly-once transactions, run a task, enrich, route, dead-letter. The only package besides app and broker that knows Kafka. */
package dev.streamformer.streams;
