package dev.streamformer.task.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Labelled texts for training a head.
 *
 * <ul>
 *   <li>{@code .tsv}: text in the first column, label in the last; a first line whose last column is
 *       {@code label}, {@code class} or {@code category} is a header (SST-2's {@code sentence\tlabel}).</li>
 *   <li>{@code .jsonl}: one object per line with {@code textField} and {@code labelField}.</li>
 * </ul>
 */
public record LabeledData(List<String> texts, List<String> labels) {

    private static final Set<String> HEADER_NAMES = Set.of("label", "labels", "class", "class_name", "category");

    public static LabeledData read(Path file, String textField, String labelField) throws IOException {
        List<String> texts = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (file.toString().endsWith(".jsonl")) {
            ObjectMapper json = new ObjectMapper();
            int n = 0;
            for (String line : lines) {
                n++;
                if (line.isBlank()) continue;
                JsonNode node = json.readTree(line);
                JsonNode text = node.get(textField), label = node.get(labelField);
                if (text == null || label == null) {
                    throw new IllegalArgumentException(file + " line " + n + " lacks '" + textField + "' or '" + labelField
                            + "': name the fields with --text-field and --label-field.");
                }
                texts.add(text.asText());
                labels.add(label.asText());
            }
        } else if (file.toString().endsWith(".tsv")) {
            for (int i = 0; i < lines.size(); i++) {
                String[] cols = lines.get(i).split("\t", -1);
                if (cols.length < 2) continue;
                if (i == 0 && HEADER_NAMES.contains(cols[cols.length - 1].trim().toLowerCase())) continue;
                texts.add(cols[0]);
                labels.add(cols[cols.length - 1].trim());
            }
        } else {
            throw new IllegalArgumentException(file + " is neither .tsv nor .jsonl: give text<TAB>label lines or JSON Lines.");
        }
        if (texts.isEmpty()) throw new IllegalArgumentException(file + " holds no labelled examples.");
        return new LabeledData(texts, labels);
    }

    public int size() { return texts.size(); }
}
