package dev.streamformer.task.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Labelled texts for training a head.
 *
 * <ul>
 *   <li>{@code .tsv}: text in the first column, label in the last; a first line whose last column is
 *       {@code label}, {@code class} or {@code category} is a header (SST-2's {@code sentence\tlabel}).</li>
 *   <li>{@code .jsonl}: one object per line with {@code textField} and {@code labelField}; a
 *       {@code <labelField>_name} field beside it (AG News' {@code label_name}) names the label.</li>
 * </ul>
 *
 * @param names label → name as the data gives them (empty when it gives none)
 */
public record LabeledData(List<String> texts, List<String> labels, Map<String, String> names) {

    public LabeledData(List<String> texts, List<String> labels) { this(texts, labels, Map.of()); }

    private static final Set<String> HEADER_NAMES = Set.of("label", "labels", "class", "class_name", "category");

    public static LabeledData read(Path file, String textField, String labelField) throws IOException {
        List<String> texts = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        Map<String, String> names = new LinkedHashMap<>();
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
                JsonNode name = node.get(labelField + "_name");
                if (name != null && name.isValueNode() && !name.asText().isBlank()) names.putIfAbsent(label.asText(), name.asText());
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
        // names only when every label has one, and no two labels share it
        if (!names.keySet().containsAll(labels) || new java.util.HashSet<>(names.values()).size() != names.size()) names.clear();
        return new LabeledData(texts, labels, names);
    }

    public int size() { return texts.size(); }
}
