package dev.streamformer.app;

import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** Kafka settings from flags: every key passes through to Kafka Streams and its clients unchanged. */
final class KafkaOptions {

    @Option(names = {"-b", "--bootstrap-servers"}, paramLabel = "HOST:PORT", description = "Kafka's bootstrap.servers.")
    String bootstrapServers;

    @Option(names = "--config", paramLabel = "KEY=VALUE",
            description = "Any Kafka Streams / client property, unchanged (repeatable), e.g. --config num.stream.threads=2.")
    List<String> config;

    @Option(names = "--config-file", paramLabel = "FILE", description = "A .properties file of Kafka Streams / client settings.")
    Path configFile;

    /** File settings, then --config, then --bootstrap-servers: later ones win. */
    Map<String, Object> properties() throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        if (configFile != null) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(configFile)) {
                p.load(r);
            }
            p.forEach((k, v) -> out.put(k.toString(), v));
        }
        out.putAll(parse(config));
        if (bootstrapServers != null) out.put("bootstrap.servers", bootstrapServers);
        return out;
    }

    /** {@code KEY=VALUE} flags as a map, in order; null or empty: none. */
    static Map<String, Object> parse(List<String> keyValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (keyValues != null) {
            for (String kv : keyValues) {
                int eq = kv.indexOf('=');
                if (eq <= 0) throw new IllegalArgumentException("--config '" + kv + "' is not KEY=VALUE: write e.g. --config num.stream.threads=2.");
                out.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
            }
        }
        return out;
    }
}
