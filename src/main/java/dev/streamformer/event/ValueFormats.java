package dev.streamformer.event;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The value formats by name: {@code json} and {@code text} built in, more from {@link ValueFormat.Provider}s on the
 * class path (ServiceLoader) or {@linkplain #register registered} by code.
 */
public final class ValueFormats {

    /** The format of a stage that names none: a JSON object per record. */
    public static final String DEFAULT = JsonFormat.NAME;

    private static final Map<String, ValueFormat.Provider> PROVIDERS = new ConcurrentHashMap<>();

    static {
        register(new JsonFormat.Provider());
        register(new TextFormat.Provider());
        for (ValueFormat.Provider provider : ServiceLoader.load(ValueFormat.Provider.class)) {
            register(provider);
        }
    }

    private ValueFormats() {}

    /** Adds (or replaces) the format of the provider's name. */
    public static void register(ValueFormat.Provider provider) {
        PROVIDERS.put(provider.name(), provider);
    }

    /** The names of the known formats, sorted. */
    /** An enriched event as the JSON format writes it (for formats that can write JSON instead of their own records). */
    public static byte[] writeJson(ObjectNode enriched) {
        return JsonFormat.writeJson(enriched);
    }

    public static List<String> known() {
        return List.copyOf(new TreeMap<>(PROVIDERS).keySet());
    }

    /**
     * Refuses an unknown format name at startup.
     *
     * @throws IllegalArgumentException the name is not a known format
     */
    public static void check(String name) {
        if (!PROVIDERS.containsKey(name)) {
            throw new IllegalArgumentException("Unknown value format '" + name + "': use one of " + String.join(", ", known())
                    + " (--value-format; topology file: valueFormat).");
        }
    }

    /** The format {@code name} for a stage with these settings. */
    public static ValueFormat create(String name, Map<String, String> settings) {
        check(name);
        return PROVIDERS.get(name).create(settings);
    }
}
