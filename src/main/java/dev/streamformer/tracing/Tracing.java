package dev.streamformer.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's OpenTelemetry: the SDK configured from the standard {@code OTEL_*} environment variables (service name
 * {@code streamformer} unless {@code OTEL_SERVICE_NAME} says otherwise; traces only) when an OTLP endpoint is set, else
 * the no-op implementation, which costs nothing and changes no header. OTLP goes over HTTP/protobuf (port 4318 of a
 * collector, e.g. {@code OTEL_EXPORTER_OTLP_ENDPOINT=http://otel-collector:4318}); a configuration that cannot be built
 * (e.g. {@code OTEL_EXPORTER_OTLP_PROTOCOL=grpc}, which needs a gRPC stack the jar does not ship) logs a warning and
 * leaves tracing off.
 */
public final class Tracing {
    private static final Logger LOG = LoggerFactory.getLogger(Tracing.class);
    static final String INSTRUMENTATION = "dev.streamformer";
    private static volatile OpenTelemetry instance;

    private Tracing() {}

    /** The process's OpenTelemetry, configured on first use. */
    public static OpenTelemetry get() {
        OpenTelemetry current = instance;
        if (current != null) return current;
        synchronized (Tracing.class) {
            if (instance == null) instance = fromEnvironment(System::getenv);
            return instance;
        }
    }

    /** Replaces the process's OpenTelemetry (tests: an SDK with an in-memory exporter); null: from the environment again. */
    public static synchronized void set(OpenTelemetry value) {
        instance = value;
    }

    /** True when spans are recorded (an SDK is configured), false for the no-op default. */
    public static boolean enabled() {
        return get() != OpenTelemetry.noop();
    }

    static Tracer tracer() {
        return get().getTracer(INSTRUMENTATION);
    }

    /** The SDK from {@code OTEL_*} variables when an OTLP endpoint is set, else the no-op implementation. */
    static OpenTelemetry fromEnvironment(Function<String, String> env) {
        if (blank(env.apply("OTEL_EXPORTER_OTLP_ENDPOINT")) && blank(env.apply("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"))) {
            return OpenTelemetry.noop();
        }
        OpenTelemetrySdk sdk;
        try {
            sdk = AutoConfiguredOpenTelemetrySdk.builder()
                    // defaults; OTEL_* variables and -Dotel.* properties win over them. OTLP over HTTP (port 4318) on the
                    // JDK's own client: no gRPC stack in the jar
                    .addPropertiesSupplier(() -> Map.of("otel.service.name", "streamformer", "otel.metrics.exporter", "none",
                            "otel.logs.exporter", "none", "otel.traces.exporter", "otlp", "otel.exporter.otlp.protocol", "http/protobuf"))
                    .disableShutdownHook()
                    .build().getOpenTelemetrySdk();
        } catch (RuntimeException e) {
            // tracing must never stop the pipeline: say why and run without it
            LOG.warn("OpenTelemetry could not be configured from the OTEL_* variables ({}); running without tracing", e.getMessage(), e);
            return OpenTelemetry.noop();
        }
        Runtime.getRuntime().addShutdownHook(new Thread(sdk::close, "streamformer-otel-flush"));
        LOG.info("OpenTelemetry: exporting spans over OTLP to {}", firstNonBlank(env.apply("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"),
                env.apply("OTEL_EXPORTER_OTLP_ENDPOINT")));
        return sdk;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String firstNonBlank(String a, String b) {
        return blank(a) ? b : a;
    }
}
