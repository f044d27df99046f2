package dev.streamformer.http;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The last dead-lettered records, as the status page shows them: a bounded ring (the oldest record goes first), so
 * memory stays bounded whatever the rate of failures. Texts are cut to {@link #MAX_VALUE_CHARS} and header values to
 * {@link #MAX_HEADER_CHARS}; the page shows all of it as text, never as HTML.
 */
public final class DeadLetterFeed {
    public static final int MAX_VALUE_CHARS = 2000;
    public static final int MAX_HEADER_CHARS = 500;

    /** One dead-lettered record: where it lies in the dead-letter topic, its key and value as UTF-8 text, its headers. */
    public record DeadLetter(Instant time, String topic, int partition, long offset, String key, String value,
                             Map<String, String> headers) {
        public DeadLetter {
            key = cut(key, MAX_VALUE_CHARS);
            value = cut(value, MAX_VALUE_CHARS);
            var copy = new LinkedHashMap<String, String>();
            headers.forEach((k, v) -> copy.put(k, cut(v, MAX_HEADER_CHARS)));
            headers = Collections.unmodifiableMap(copy);
        }
    }

    private final int capacity;
    private final ArrayDeque<DeadLetter> records;
    private long seen;

    public DeadLetterFeed(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("The dead-letter feed needs a capacity of at least 1, got " + capacity + ".");
        this.capacity = capacity;
        this.records = new ArrayDeque<>(capacity);
    }

    public synchronized void push(DeadLetter record) {
        if (records.size() == capacity) records.removeFirst();
        records.addLast(record);
        seen++;
    }

    /** The records held now, newest first. */
    public synchronized List<DeadLetter> latest() {
        var out = new ArrayList<DeadLetter>(records.size());
        records.descendingIterator().forEachRemaining(out::add);
        return out;
    }

    /** Records pushed since the start (including those no longer held). */
    public synchronized long seen() {
        return seen;
    }

    public int capacity() {
        return capacity;
    }

    private static String cut(String s, int max) {
        return s != null && s.length() > max ? s.substring(0, max) + "…" : s;
    }
}
