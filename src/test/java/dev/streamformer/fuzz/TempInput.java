package dev.streamformer.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One temporary file per harness, rewritten with each fuzz input, for readers that take a path. It lives in
 * {@code /dev/shm} (memory) where there is one, so that fuzzing is not bound by the disk.
 */
final class TempInput {

    private final Path file;

    TempInput(String suffix) {
        try {
            Path memory = Path.of("/dev/shm");
            file = Files.isDirectory(memory) && Files.isWritable(memory)
                    ? Files.createTempFile(memory, "streamformer-fuzz-", suffix)
                    : Files.createTempFile("streamformer-fuzz-", suffix);
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
