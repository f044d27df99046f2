package dev.streamformer.metrics;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A bounded ring buffer of the last events; the pipeline pushes, the status page reads. When full, the oldest
 * event is dropped, so memory stays bounded whatever the rate.
 */
public final class EventFeed {
    private final int capacity;
    private final ArrayDeque<FeedEvent> events;

    public EventFeed(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("The event feed needs a capacity of at least 1, got " + capacity + ".");
        this.capacity = capacity;
        this.events = new ArrayDeque<>(capacity);
    }

    public synchronized void push(FeedEvent event) {
        if (events.size() == capacity) events.removeFirst();
        events.addLast(event);
    }

    /** The events held now, newest first. */
    public synchronized List<FeedEvent> latest() {
        var out = new ArrayList<FeedEvent>(events.size());
        events.descendingIterator().forEachRemaining(out::add);
        return out;
    }

    public int capacity() {
        return capacity;
    }
}
