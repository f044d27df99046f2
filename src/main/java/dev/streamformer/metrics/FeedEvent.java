package dev.streamformer.metrics;

import java.time.Instant;

/**
 * One processed event as the status page's live feed shows it: when, which stage, its key, the start of its
 * text and, for classification, the label and its score ({@code null} when the stage has none).
 */
public record FeedEvent(Instant time, String stage, String key, String text, String label, Double score) {
    /** Longer texts are cut here, so the feed stays small. */
    public static final int MAX_TEXT_CHARS = 200;

    public FeedEvent {
        if (text != null && text.length() > MAX_TEXT_CHARS) {
            text = text.substring(0, MAX_TEXT_CHARS) + "…";
        }
    }

    /** An event without a label (embed, generate). */
    public static FeedEvent of(String stage, String key, String text) {
        return new FeedEvent(Instant.now(), stage, key, text, null, null);
    }

    /** A classified event. */
    public static FeedEvent classified(String stage, String key, String text, String label, double score) {
        return new FeedEvent(Instant.now(), stage, key, text, label, score);
    }
}
