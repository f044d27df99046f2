package dev.streamformer.metrics;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** A registry's scrape as the Prometheus text exposition format 0.0.4, written by the Prometheus Java client. */
public final class PrometheusText {
    private static final PrometheusTextFormatWriter WRITER = PrometheusTextFormatWriter.create();

    /** The Content-Type a scraper expects for this format. */
    public static final String CONTENT_TYPE = WRITER.getContentType();

    private PrometheusText() {}

    /** Every family of {@code registry} with at least one sample, sorted by name. */
    public static String write(PrometheusRegistry registry) {
        var out = new ByteArrayOutputStream(8192);
        try {
            WRITER.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
