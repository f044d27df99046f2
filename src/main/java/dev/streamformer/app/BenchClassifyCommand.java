package dev.streamformer.app;

import dev.streamformer.task.ClassifyTask;
import dev.streamformer.task.EngineOptions;
import dev.streamformer.task.LoadedModel;
import dev.streamformer.task.TokenBudget;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code streamformer bench classify}: a fine-tuned classifier on both engines, same texts, one run. */
@Command(name = "classify", mixinStandardHelpOptions = true,
        description = "Classification throughput of a fine-tuned model on ONNX Runtime and on the Java engine, same texts, one run.")
final class BenchClassifyCommand implements Callable<Integer> {

    @Option(names = {"-m", "--model"}, required = true, description = "A sequence-classification model directory (config.json with id2label).")
    String model;

    @Option(names = "--texts", required = true, description = "Text file (one per line; .tsv: first column).")
    Path texts;

    @Option(names = "--limit", defaultValue = "2000", description = "Default: ${DEFAULT-VALUE}.")
    int limit;

    @Option(names = "--rounds", defaultValue = "3", description = "Timed rounds per engine, alternating; the best is kept. Default: ${DEFAULT-VALUE}.")
    int rounds;

    @Override
    public Integer call() throws Exception {
        List<String> all = TextFile.read(texts, limit);
        System.out.printf(Locale.ROOT, "bench classify: %s, %,d texts, %d cores, %d alternating rounds, best kept%n", model, all.size(),
                Runtime.getRuntime().availableProcessors(), rounds);
        List<String> engines = List.of("onnx", "java");
        Map<String, ClassifyTask.FineTuned> classifiers = new LinkedHashMap<>();
        for (String engine : engines) {
            var classifier = new ClassifyTask.FineTuned(LoadedModel.load(model, new EngineOptions(engine, "cpu", 0)), TokenBudget.DEFAULT);
            classifier.scores(all.subList(0, Math.min(200, all.size())));   // warm-up: JIT, scratch buffers, ORT's plans
            classifiers.put(engine, classifier);
        }
        Map<String, Double> best = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            for (String engine : engines) {
                long start = System.nanoTime();
                classifiers.get(engine).scores(all);
                best.merge(engine, all.size() / ((System.nanoTime() - start) / 1e9), Math::max);
            }
        }
        for (String engine : engines) {
            System.out.printf(Locale.ROOT, "  %-5s %9.1f events/s   %s/onnx = %.2fx%n", engine, best.get(engine), engine,
                    best.get(engine) / best.get("onnx"));
        }
        return 0;
    }
}
