package dev.streamformer.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads benchmark texts: one per line; for {@code .tsv} files the first column, skipping a header line. */
final class TextFile {

    private TextFile() {}

    static List<String> read(Path file, int limit) throws IOException {
        List<String> texts = new ArrayList<>();
        boolean tsv = file.toString().endsWith(".tsv");
        boolean first = true;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (tsv) {
                String[] cols = line.split("\t", -1);
                if (first && cols.length > 1 && cols[cols.length - 1].matches("[A-Za-z_]+")) {
                    first = false;
                    continue;
                }
                line = cols[0];
            }
            first = false;
            if (line.isBlank()) continue;
            texts.add(line);
            if (texts.size() == limit) break;
        }
        return texts;
    }
}
