package dev.streamformer.tracing;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TracingTest {

    @Test
    void noEndpointMeansNoOp() {
        assertSame(OpenTelemetry.noop(), Tracing.fromEnvironment(Map.<String, String>of()::get));
        assertSame(OpenTelemetry.noop(), Tracing.fromEnvironment(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", " ")::get));
    }

    @Test
    void anEndpointBuildsTheSdkWithTheOtlpExporterOnTheJdkHttpClient() {
        // the exporter is built from the real OTEL_* variables (none here: its default endpoint); nothing listens, spans are dropped
        OpenTelemetry otel = Tracing.fromEnvironment(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:9")::get);
        OpenTelemetrySdk sdk = assertInstanceOf(OpenTelemetrySdk.class, otel);
        try {
            var span = sdk.getTracer("test").spanBuilder("probe").startSpan();
            assertTrue(span.getSpanContext().isValid(), "spans are recorded");
            span.end();
            assertTrue(sdk.getSdkTracerProvider().toString().contains("OtlpHttpSpanExporter"), sdk.getSdkTracerProvider().toString());
        } finally {
            sdk.shutdown();
        }
    }
}
