package dev.streamformer.app;

import dev.streamformer.task.EmbedTask;
import dev.streamformer.task.EngineOptions;
import dev.streamformer.task.LoadedModel;
import dev.streamformer.task.Overflow;
import dev.streamformer.task.TokenBudget;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code streamformer bench quantized}: what an int8 copy of an embedding model buys and costs. Both models embed the
 * same texts in alternating timed rounds (the best round of each is kept, so a burst of load elsewhere hurts neither
 * side alone); then the cosine between each text's two embeddings says how far the quantized vectors moved.
 */
@Command(name = "quantized", mixinStandardHelpOptions = true,
        description = "An embedding model against its quantized copy on the same texts, one run: texts/s of each (best of"
                + " alternating rounds) and the cosine between their embeddings of each text (mean, 1st percentile, min).")
final class BenchQuantizedCommand implements Callable<Integer> {

    @Option(names = "--model", defaultValue = "all-minilm-l6-v2", description = "The full-precision model. Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--quantized", defaultValue = "all-minilm-l6-v2-q", description = "Its quantized copy. Default: ${DEFAULT-VALUE}.")
    String quantized;

    @Option(names = "--texts", required = true, description = "Text file (one per line; .tsv: first column).")
    Path texts;

    @Option(names = "--limit", defaultValue = "2000", description = "Use the first N texts. Default: ${DEFAULT-VALUE}.")
    int limit;

    @Option(names = "--rounds", defaultValue = "3", description = "Timed rounds per model. Default: ${DEFAULT-VALUE}.")
    int rounds;

    @Override
    public Integer call() throws Exception {
        List<String> all = TextFile.read(texts, limit);
        EmbedTask full = task(model);
        EmbedTask small = task(quantized);
        System.out.printf(Locale.ROOT, "bench quantized: %s vs %s, %,d texts, %d rounds each, %d cores%n",
                model, quantized, all.size(), rounds, Runtime.getRuntime().availableProcessors());
        List<String> warm = all.subList(0, Math.min(200, all.size()));
        full.embed(warm);
        small.embed(warm);
        double fullBest = Double.MAX_VALUE, smallBest = Double.MAX_VALUE;
        float[][] fullVectors = null, smallVectors = null;
        for (int round = 0; round < rounds; round++) {
            long start = System.nanoTime();
            fullVectors = full.embed(all);
            fullBest = Math.min(fullBest, (System.nanoTime() - start) / 1e9);
            start = System.nanoTime();
            smallVectors = small.embed(all);
            smallBest = Math.min(smallBest, (System.nanoTime() - start) / 1e9);
        }
        System.out.printf(Locale.ROOT, "  %-28s %9.1f texts/s%n", model, all.size() / fullBest);
        System.out.printf(Locale.ROOT, "  %-28s %9.1f texts/s  quantized/full = %.2fx%n", quantized, all.size() / smallBest, fullBest / smallBest);
        double[] cosines = new double[all.size()];
        for (int i = 0; i < cosines.length; i++) cosines[i] = cosine(fullVectors[i], smallVectors[i]);
        Arrays.sort(cosines);
        System.out.printf(Locale.ROOT, "  cosine(full, quantized) per text: mean %.4f, 1st percentile %.4f, min %.4f%n",
                Arrays.stream(cosines).average().orElse(Double.NaN), cosines[(int) (0.01 * (cosines.length - 1))], cosines[0]);
        return 0;
    }

    private static EmbedTask task(String id) {
        return new EmbedTask(LoadedModel.load(id, EngineOptions.DEFAULT), TokenBudget.DEFAULT, Overflow.TRUNCATE, null);
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
