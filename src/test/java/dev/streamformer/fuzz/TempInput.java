package dev.streamformer.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One temporary file per harness, rewritten with each fuzz input, for readers that take a path. */
final class TempInput {

    private final Path file;

    TempInput(String suffix) {
        try {
            file = Files.createTempFile("streamformer-fuzz-", suffix);
            file.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Replaces the file's contents with {@code bytes} and returns its path. */
    Path write(byte[] bytes) {
        try {
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
