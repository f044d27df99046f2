package dev.streamformer.tokenize;

import dev.streamformer.model.ModelRegistry;


import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Texts from ../shared/data and tokenizer files from ../shared/models and the ~/.m2 model jars, for parity tests. */
final class SharedData {

    static final Path SHARED = Path.of("..", "shared");

    private SharedData() {}

    static Path requireShared(String relative) {
        Path p = SHARED.resolve(relative);
        if (!Files.exists(p)) {
            throw new IllegalStateException("Missing " + p.toAbsolutePath()
                    + ": the parity tests need the project's shared data next to the checkout (../shared).");
        }
        return p;
    }

    /** Every text of the corpus, grouped by source, in file order. */
    static Map<String, List<String>> corpus() {
        Map<String, List<String>> texts = new LinkedHashMap<>();
        texts.put("sst2/train", tsvFirstColumn(requireShared("data/sst2/train.tsv")));
        texts.put("sst2/dev", tsvFirstColumn(requireShared("data/sst2/dev.tsv")));
        texts.put("ag_news/test", agNews(requireShared("data/ag_news/test.jsonl")));
        texts.put("multilingual/torture", linesOnNewline(requireShared("data/multilingual/torture.txt")));
        texts.put("banking77/train", csvFirstColumn(requireShared("data/banking77/train.csv")));
        texts.put("banking77/test", csvFirstColumn(requireShared("data/banking77/test.csv")));
        texts.put("emotion/test", beforeLastSemicolon(requireShared("data/emotion/test.txt")));
        texts.put("emotion/val", beforeLastSemicolon(requireShared("data/emotion/val.txt")));
        texts.put("generation/prompts", linesOnNewline(requireShared("data/generation/prompts.txt")));
        return texts;
    }

    static List<String> allTexts() {
        List<String> all = new ArrayList<>();
        corpus().values().forEach(all::addAll);
        return all;
    }

    /** The four WordPiece tokenizer files: three built-in models (resolved as the product does), one from ../shared/models. */
    static Map<String, Path> wordPieceTokenizers() {
        Map<String, Path> files = new LinkedHashMap<>();
        for (String id : List.of("all-minilm-l6-v2", "bge-small-en-v15", "e5-small-v2")) files.put(id, builtIn(id));
        files.put("sst2-minilm", requireShared("models/sst2-minilm/tokenizer.json"));
        return files;
    }

    /** The tokenizer.json of a built-in model, from the registry's cache (filled from the Maven jar the pom declares). */
    static Path builtIn(String id) {
        return ModelRegistry.standard().resolve(id).tokenizer();
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lines split only on '\n' (other line separators are content). */
    static List<String> linesOnNewline(Path p) {
        String s = read(p);
        List<String> lines = new ArrayList<>(List.of(s.split("\n", -1)));
        if (!lines.isEmpty() && lines.getLast().isEmpty()) {
            lines.removeLast();
        }
        return lines;
    }

    private static List<String> tsvFirstColumn(Path p) {
        List<String> lines = linesOnNewline(p);
        return lines.subList(1, lines.size()).stream().map(l -> l.substring(0, l.lastIndexOf('\t'))).toList();
    }

    private static List<String> beforeLastSemicolon(Path p) {
        List<String> lines = linesOnNewline(p);
        return lines.subList(1, lines.size()).stream().map(l -> l.substring(0, l.lastIndexOf(';'))).toList();
    }

    private static List<String> agNews(Path p) {
        ObjectMapper json = new ObjectMapper();
        return linesOnNewline(p).stream().map(l -> {
            try {
                return json.readTree(l).path("text").asText();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).toList();
    }

    /** First field of each record of a quoted CSV with a header (fields may hold newlines and doubled quotes). */
    static List<String> csvFirstColumn(Path p) {
        String s = read(p);
        List<String> firstFields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        int column = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < s.length() && s.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                if (column == 0) {
                    firstFields.add(field.toString());
                }
                field.setLength(0);
                column++;
            } else if (c == '\n') {
                field.setLength(0);
                column = 0;
            } else {
                field.append(c);
            }
        }
        return firstFields.subList(1, firstFields.size());
    }
}
