package dev.streamformer.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamformer.task.EmbedTask;
import dev.streamformer.task.LoadedModel;
import dev.streamformer.task.Overflow;
import dev.streamformer.task.TokenBudget;
import dev.streamformer.task.train.Head;
import dev.streamformer.task.train.HeadTrainer;
import dev.streamformer.task.train.LabeledData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/**
 * {@code streamformer train}: the "fine-tune BERT" step on a frozen encoder. Embeds the labelled texts once, trains a
 * softmax head (logistic regression with L2, or one hidden layer), and writes a model directory for {@code --model DIR}.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a classifier head on a frozen encoder's embeddings and write a model directory that"
                + " 'classify --model DIR' and 'run --task classify' use.")
final class TrainCommand implements Callable<Integer> {

    @Mixin ModelOptions model;

    @Option(names = "--data", required = true, description = "Training data: text<TAB>label (.tsv) or JSON Lines (.jsonl).")
    Path data;

    @Option(names = "--dev", description = "Held-out data to report accuracy on after every epoch.")
    Path dev;

    @Option(names = "--out", required = true, description = "Directory to write the trained model to.")
    Path out;

    @Option(names = "--text-field", defaultValue = "text", description = "JSON Lines: the text field. Default: ${DEFAULT-VALUE}.")
    String textField;

    @Option(names = "--label-field", defaultValue = "label", description = "JSON Lines: the label field. Default: ${DEFAULT-VALUE}.")
    String labelField;

    @Option(names = "--label-names", paramLabel = "LABEL=NAME,...|NAME,...",
            description = "Names to write for the data's labels, which classify then prints: 0=negative,1=positive, or"
                    + " negative,positive (in the labels' order, numeric when they are numbers). Default: the data's"
                    + " <label-field>_name field (JSON Lines), else the labels as they are.")
    String labelNames;

    @Option(names = "--epochs", defaultValue = "20", description = "Default: ${DEFAULT-VALUE}.") int epochs;
    @Option(names = "--batch", defaultValue = "64", description = "Examples per step. Default: ${DEFAULT-VALUE}.") int batch;
    @Option(names = "--lr", defaultValue = "0.003", description = "Adam learning rate. Default: ${DEFAULT-VALUE}.") float lr;
    @Option(names = "--l2", defaultValue = "0.0001", description = "L2 weight decay. Default: ${DEFAULT-VALUE}.") float l2;
    @Option(names = "--hidden", defaultValue = "0", description = "Units of one hidden ReLU layer (0: logistic regression). Default: ${DEFAULT-VALUE}.") int hidden;
    @Option(names = "--seed", defaultValue = "42", description = "Same seed, same head. Default: ${DEFAULT-VALUE}.") long seed;
    @Option(names = "--limit", defaultValue = "0", description = "Use only the first N training examples (0: all).") int limit;

    @Override
    public Integer call() throws Exception {
        LabeledData train = LabeledData.read(data, textField, labelField);
        if (limit > 0 && limit < train.size()) {
            train = new LabeledData(train.texts().subList(0, limit), train.labels().subList(0, limit), train.names());
        }
        List<String> labelNames = sortedLabels(train.labels());
        List<String> names = names(labelNames, train.names());
        EmbedTask encoder = new EmbedTask(LoadedModel.load(model.model, model.engineOptions()), TokenBudget.DEFAULT, Overflow.TRUNCATE, null);

        float[][] x = embed(encoder, train.texts(), "train");
        int[] y = train.labels().stream().mapToInt(labelNames::indexOf).toArray();
        LabeledData devData = dev == null ? null : LabeledData.read(dev, textField, labelField);
        float[][] devX = devData == null ? null : embed(encoder, devData.texts(), "dev");
        int[] devY = devData == null ? null : devData.labels().stream().mapToInt(labelNames::indexOf).toArray();

        HeadTrainer trainer = new HeadTrainer(epochs, batch, lr, l2, seed);
        Head head = trainer.train(x, y, labelNames.size(), hidden, (epoch, loss, h) -> {
            String acc = devX == null ? "" : String.format(Locale.ROOT, "  dev accuracy %.2f %%", 100 * accuracy(h, devX, devY));
            System.err.printf(Locale.ROOT, "epoch %d/%d  loss %.4f%s%n", epoch, epochs, loss, acc);
        });
        write(head, names);
        String result = devX == null ? "" : String.format(Locale.ROOT, "; dev accuracy %.2f %% on %d examples",
                100 * accuracy(head, devX, devY), devX.length);
        System.out.printf(Locale.ROOT, "trained a %s head on %d examples of %d labels over %s%s; wrote %s%n",
                hidden == 0 ? "logistic-regression" : hidden + "-unit", x.length, labelNames.size(), model.model, result, out);
        return 0;
    }

    /** The distinct labels, numerically ordered when all are whole numbers (0, 1, 2, ..., 10), else alphabetically. */
    static List<String> sortedLabels(List<String> labels) {
        List<String> distinct = new ArrayList<>(new TreeSet<>(labels));
        if (distinct.stream().allMatch(l -> l.matches("-?\\d{1,9}"))) distinct.sort(java.util.Comparator.comparingInt(Integer::parseInt));
        return distinct;
    }

    /**
     * The name written for each label (by index): from --label-names, else the data's names, else the label itself;
     * labels that are bare numbers without names get a note saying how to name them.
     */
    List<String> names(List<String> labels, java.util.Map<String, String> fromData) {
        java.util.Map<String, String> given = labelNames == null ? fromData : parseLabelNames(labelNames, labels);
        if (given.isEmpty() && labels.stream().allMatch(l -> l.matches("-?\\d+"))) {
            System.err.println("note: the labels are numbers (" + String.join(", ", labels) + "), and classify will print them"
                    + " as they are; to print names, add e.g. --label-names " + String.join(",", labels.stream()
                    .map(l -> l + "=NAME").toList()) + ".");
        }
        return labels.stream().map(l -> given.getOrDefault(l, l)).toList();
    }

    /** {@code 0=negative,1=positive} (by label) or {@code negative,positive} (by position), checked against the data. */
    static java.util.Map<String, String> parseLabelNames(String spec, List<String> labels) {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        String[] parts = spec.split(",");
        boolean byLabel = spec.contains("=");
        if (!byLabel && parts.length != labels.size()) {
            throw new IllegalArgumentException("--label-names gives " + parts.length + " names for the data's " + labels.size()
                    + " labels (" + String.join(", ", labels) + "): give one per label, e.g. --label-names "
                    + String.join(",", labels.stream().map(l -> l + "=NAME").toList()) + ".");
        }
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i].trim();
            if (!byLabel) {
                out.put(labels.get(i), part);
                continue;
            }
            int eq = part.indexOf('=');
            String label = eq < 0 ? "" : part.substring(0, eq).trim(), name = eq < 0 ? "" : part.substring(eq + 1).trim();
            if (label.isEmpty() || name.isEmpty()) {
                throw new IllegalArgumentException("--label-names '" + part + "' is not LABEL=NAME: write e.g. --label-names "
                        + String.join(",", labels.stream().map(l -> l + "=NAME").toList()) + ".");
            }
            if (!labels.contains(label)) {
                throw new IllegalArgumentException("--label-names names label '" + label + "', which the data does not have; its labels are "
                        + String.join(", ", labels) + ".");
            }
            out.put(label, name);
        }
        if (new java.util.HashSet<>(out.values()).size() != out.size()) {
            throw new IllegalArgumentException("--label-names gives two labels the same name: give each label its own name.");
        }
        return out;
    }

    private static float[][] embed(EmbedTask encoder, List<String> texts, String what) {
        float[][] x = new float[texts.size()][];
        long start = System.nanoTime();
        int chunk = 1024;
        for (int i = 0; i < texts.size(); i += chunk) {
            List<String> part = texts.subList(i, Math.min(texts.size(), i + chunk));
            float[][] v = encoder.embed(part);
            System.arraycopy(v, 0, x, i, v.length);
            double s = (System.nanoTime() - start) / 1e9;
            System.err.printf(Locale.ROOT, "\rembedding %s: %,d/%,d texts  %.0f texts/s", what, i + part.size(), texts.size(), (i + part.size()) / s);
        }
        System.err.println();
        return x;
    }

    /** Fraction of examples whose most probable label is the gold one (a label unseen in training counts as wrong). */
    static double accuracy(Head head, float[][] x, int[] y) {
        int correct = 0;
        for (int i = 0; i < x.length; i++) {
            float[] p = head.probabilities(x[i]);
            int best = 0;
            for (int j = 1; j < p.length; j++) if (p[j] > p[best]) best = j;
            if (best == y[i]) correct++;
        }
        return (double) correct / x.length;
    }

    private void write(Head head, List<String> labelNames) throws Exception {
        Files.createDirectories(out);
        head.save(out.resolve("head.safetensors"));
        ObjectMapper json = new ObjectMapper();
        ObjectNode config = json.createObjectNode();
        config.putArray("architectures").add("StreamformerTrainedHead");
        ObjectNode id2label = config.putObject("id2label");
        for (int i = 0; i < labelNames.size(); i++) id2label.put(String.valueOf(i), labelNames.get(i));
        json.writerWithDefaultPrettyPrinter().writeValue(out.resolve("config.json").toFile(), config);
        String encoderRef = Files.isDirectory(Path.of(model.model)) ? Path.of(model.model).toAbsolutePath().toString() : model.model;
        Files.writeString(out.resolve("streamformer.yaml"), """
                # Written by streamformer train: a classifier head over a frozen encoder.
                task: classify
                encoder: "%s"
                head: head.safetensors
                description: "%s head, %d labels, trained on %s (seed %d)"
                """.formatted(encoderRef, hidden == 0 ? "logistic-regression" : hidden + "-unit", labelNames.size(),
                data.getFileName(), seed));
    }
}
