package dev.streamformer.task.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamformer.engine.LanguageModel;
import dev.streamformer.engine.java.decoder.LanguageModels;
import dev.streamformer.tokenize.Tokenizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Generation speed of the Java decoder: prompt tokens/s (prefill, the encoder included for T5) and new tokens/s
 * (decoding), at a given batch size. Greedy, EOS ignored, so every prompt generates exactly {@code newTokens}.
 *
 * <p>There is no ONNX Runtime column: no decoder ONNX export exists in ../shared, so there is nothing honest
 * to compare against yet.
 *
 * <p>Usage: {@code GenerateBenchmark [--model DIR] [--prompts FILE] [--new-tokens N] [--rounds R] [--batch B ...]}.
 * The prompts file is JSON Lines with {@code prompt_ids} or {@code input_ids} (the ../shared/reference files), or
 * plain text lines tokenized with the model's {@code tokenizer.json}. Without arguments it runs newsgpt-mini and
 * t5-mini from ../shared at batch 1 and 8. With {@code --random-llama}, {@link RandomLlamaBenchmark} races a random
 * Llama of realistic size against Jlama instead.
 */
public final class GenerateBenchmark {

    /** One measurement. */
    public record Result(String model, int batch, int prompts, long promptTokens, long newTokens,
                         double promptTokensPerSecond, double newTokensPerSecond) {

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%-14s batch %2d  %3d prompts  %6d prompt tokens  %7.0f prompt tok/s  %6d new tokens  %7.0f new tok/s",
                    model, batch, prompts, promptTokens, promptTokensPerSecond, newTokens, newTokensPerSecond);
        }
    }

    private GenerateBenchmark() {}

    /**
     * One timed pass over a set of prompts.
     *
     * @param newTokens   tokens generated, the first of each prompt included (it comes out of prefill)
     * @param decodeSteps forward steps of decoding: each produced one of the other new tokens
     */
    public record Round(int prompts, long promptTokens, long prefillNanos, long newTokens, long decodeSteps, long decodeNanos) {

        public double promptTokensPerSecond() { return promptTokens / (prefillNanos / 1e9); }

        /** Decoding speed: the tokens after the first of each prompt, over the decoding time. */
        public double newTokensPerSecond() { return decodeSteps / (decodeNanos / 1e9); }

        public Round plus(Round o) {
            return new Round(prompts + o.prompts, promptTokens + o.promptTokens, prefillNanos + o.prefillNanos,
                    newTokens + o.newTokens, decodeSteps + o.decodeSteps, decodeNanos + o.decodeNanos);
        }
    }

    /** Generates {@code newTokens} for every prompt, {@code batch} prompts at a time, once; returns what it timed. */
    public static Round round(Generator generator, List<int[]> prompts, int batch, int newTokens) {
        GenerationConfig config = GenerationConfig.greedy(newTokens).withStopAtEos(false);
        long promptTokens = 0, generated = 0, prefillNanos = 0, decodeNanos = 0;
        for (int from = 0; from < prompts.size(); from += batch) {
            Generator.BatchResult r = generator.run(prompts.subList(from, Math.min(prompts.size(), from + batch)), config, null);
            prefillNanos += r.prefillNanos();
            decodeNanos += r.decodeNanos();
            for (Generation g : r.generations()) {
                promptTokens += g.promptTokens();
                generated += g.generatedTokens();
            }
        }
        // the first new token comes out of prefill; decoding produced the rest
        return new Round(prompts.size(), promptTokens, prefillNanos, generated, generated - prompts.size(), decodeNanos);
    }

    /**
     * Generates {@code newTokens} for every prompt, {@code batch} prompts at a time, {@code rounds} times after one
     * untimed warm-up round; returns the throughput over the timed rounds.
     */
    public static Result run(String name, LanguageModel model, List<int[]> prompts, int batch, int newTokens, int rounds) {
        Generator generator = new Generator(model, null);
        round(generator, prompts, batch, newTokens); // warm-up: let the JIT compile the kernels
        Round total = new Round(0, 0, 0, 0, 0, 0);
        for (int r = 0; r < rounds; r++) total = total.plus(round(generator, prompts, batch, newTokens));
        return new Result(name, batch, prompts.size(), total.promptTokens(), total.newTokens(),
                total.promptTokensPerSecond(), total.newTokensPerSecond());
    }

    public static void main(String[] args) {
        if (List.of(args).contains("--random-llama")) {
            RandomLlamaBenchmark.main(args);
            return;
        }
        List<Path> models = new ArrayList<>();
        List<Path> promptFiles = new ArrayList<>();
        List<Integer> batches = new ArrayList<>();
        int newTokens = 32, rounds = 2;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--model" -> models.add(Path.of(args[++i]));
                case "--prompts" -> promptFiles.add(Path.of(args[++i]));
                case "--batch" -> batches.add(Integer.parseInt(args[++i]));
                case "--new-tokens" -> newTokens = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; use --model DIR --prompts FILE [--batch B] [--new-tokens N] [--rounds R], or --random-llama [...].");
            }
        }
        if (models.isEmpty()) {
            Path shared = Path.of("..", "shared");
            models = List.of(shared.resolve("models/newsgpt-mini"), shared.resolve("models/t5-mini"));
            promptFiles = List.of(shared.resolve("reference/ref_newsgpt-mini_greedy.jsonl"),
                    shared.resolve("reference/ref_t5-mini_greedy.jsonl"));
        }
        if (models.size() != promptFiles.size()) {
            throw new IllegalArgumentException("give one --prompts file for each --model.");
        }
        if (batches.isEmpty()) batches = List.of(1, 8);
        System.out.printf(Locale.ROOT, "greedy, %d new tokens per prompt, EOS ignored, %d timed rounds after a warm-up, Java engine, %d cores%n",
                newTokens, rounds, Runtime.getRuntime().availableProcessors());
        for (int m = 0; m < models.size(); m++) {
            LanguageModel model = LanguageModels.load(models.get(m));
            List<int[]> prompts = readPrompts(promptFiles.get(m), models.get(m));
            for (int batch : batches) {
                System.out.println(run(models.get(m).getFileName().toString(), model, prompts, batch, newTokens, rounds));
            }
        }
    }

    /** Token ids from a reference JSON Lines file, or text lines tokenized with the model's tokenizer. */
    static List<int[]> readPrompts(Path file, Path modelDir) {
        try {
            List<String> lines = Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
            List<int[]> out = new ArrayList<>();
            if (file.toString().endsWith(".jsonl")) {
                ObjectMapper json = new ObjectMapper();
                for (String line : lines) {
                    JsonNode row = json.readTree(line);
                    JsonNode ids = row.has("prompt_ids") ? row.get("prompt_ids") : row.get("input_ids");
                    if (ids == null) throw new IllegalArgumentException(file + " has a row without prompt_ids or input_ids.");
                    int[] p = new int[ids.size()];
                    for (int i = 0; i < p.length; i++) p[i] = ids.get(i).asInt();
                    out.add(p);
                }
            } else {
                Tokenizer tokenizer = Tokenizer.fromFile(modelDir.resolve("tokenizer.json"));
                for (String line : lines) out.add(tokenizer.encode(line).ids());
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(file + " cannot be read: " + e.getMessage(), e);
        }
    }
}
