package dev.streamformer.app;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress line on stderr for long work: records, records/s, tokens/s, rewritten in place about once a second.
 * Silent when stderr is not a terminal, unless forced with {@code --progress}.
 */
final class Progress implements AutoCloseable {

    private final PrintStream err;
    private final boolean enabled;
    private final long start = System.nanoTime();
    private long lastPrint = start;
    private long records;
    private long tokens;
    private long errors;

    Progress(PrintStream err, boolean force) {
        this.err = err;
        this.enabled = force || System.console() != null;
    }

    void add(long records, long tokens, long errors) {
        this.records += records;
        this.tokens += tokens;
        this.errors += errors;
        long now = System.nanoTime();
        if (enabled && now - lastPrint > 1_000_000_000L) {
            lastPrint = now;
            err.print("\r" + line());
            err.flush();
        }
    }

    String line() {
        double s = Math.max((System.nanoTime() - start) / 1e9, 1e-9);
        return String.format(Locale.ROOT, "%,d records  %,.1f records/s  %,.0f tokens/s  %,d errors  %.1f s",
                records, records / s, tokens / s, errors, s);
    }

    @Override
    public void close() {
        if (enabled) err.println("\r" + line());
    }
}
