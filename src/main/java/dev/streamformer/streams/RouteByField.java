package dev.streamformer.streams;

import org.apache.kafka.streams.processor.RecordContext;
import org.apache.kafka.streams.processor.TopicNameExtractor;

/**
 * Picks the output topic of an enriched record from the value of one result field (e.g. a classifier's
 * {@code label}): {@code positive → reviews.positive}; any other value, or none, goes to the default topic.
 * The topics must exist: Kafka Streams does not create sink topics.
 */
final class RouteByField implements TopicNameExtractor<byte[], EnrichProcessor.EnrichedEvent> {

    private final PipelineConfig.Routing routing;
    private final String defaultTopic;

    RouteByField(PipelineConfig.Routing routing, String defaultTopic) {
        this.routing = routing;
        this.defaultTopic = defaultTopic;
    }

    /** The topic for a value of the routing field (null: the field is missing). */
    String topic(String route) {
        return route == null ? defaultTopic : routing.topicsByValue().getOrDefault(route, defaultTopic);
    }

    /** The topic {@link EnrichProcessor} picked with {@link #topic}, so that the value was written for it. */
    @Override
    public String extract(byte[] key, EnrichProcessor.EnrichedEvent event, RecordContext recordContext) {
        return event.topic();
    }

    @Override
    public String toString() {
        return "route by '" + routing.field() + "' " + routing.topicsByValue() + ", else " + defaultTopic;
    }
}
