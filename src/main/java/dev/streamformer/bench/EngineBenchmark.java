package dev.streamformer.bench;

import dev.streamformer.engine.TokenBatch;
import dev.streamformer.engine.java.JavaEngine;
import dev.streamformer.engine.onnx.OnnxEngine;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Java engine against ONNX Runtime (the onnx engine, all cores) on the same .onnx file, in one run: texts per second at a few batch shapes.
 * Batches are full (no padding), ids drawn at random from the vocabulary between [CLS] and [SEP]; both engines get
 * the same batches. Each engine is timed in alternating rounds and its best round is kept, because the machine is
 * shared and single runs vary.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp ... dev.streamformer.engine.java.EngineBenchmark model.onnx [rounds] [seconds]</pre>
 */
public final class EngineBenchmark {

    /**
     * A batch shape to time: {@code batch} texts of {@code minTokens..maxTokens} tokens (lengths drawn at random when
     * they differ). ONNX Runtime gets the batch padded to its longest text; the Java engine packs the texts and
     * computes only their real tokens.
     */
    public record Shape(int batch, int minTokens, int maxTokens) {
        public Shape(int batch, int tokens) {
            this(batch, tokens, tokens);
        }

        /** {@code "8x64"}: 8 texts of 64 tokens; {@code "32x8-128"}: 32 texts of 8 to 128 tokens. */
        public static Shape parse(String text) {
            String[] parts = text.trim().toLowerCase(java.util.Locale.ROOT).split("x");
            try {
                if (parts.length == 2) {
                    String[] range = parts[1].split("-");
                    int min = Integer.parseInt(range[0]);
                    int max = range.length == 2 ? Integer.parseInt(range[1]) : min;
                    Shape shape = new Shape(Integer.parseInt(parts[0]), min, max);
                    if (range.length <= 2 && shape.batch() > 0 && min >= 2 && max >= min) return shape;
                }
            } catch (NumberFormatException e) {
                // falls through to the sentence below
            }
            throw new IllegalArgumentException("Shape '" + text + "' is not BATCHxTOKENS: write it as e.g. 8x64, or 32x8-128 for lengths"
                    + " from 8 to 128 (at least 1 text of 2 tokens).");
        }

        String tokensLabel() {
            return minTokens == maxTokens ? String.format("%3d", maxTokens) : minTokens + "-" + maxTokens;
        }
    }

    /** Throughput of both engines at one shape. */
    public record Result(Shape shape, double javaTextsPerSecond, double ortTextsPerSecond) {
        public double ratio() { return javaTextsPerSecond / ortTextsPerSecond; }
    }

    public static final List<Shape> DEFAULT_SHAPES = List.of(new Shape(1, 16), new Shape(8, 64), new Shape(32, 128));

    private EngineBenchmark() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: EngineBenchmark <model.onnx or model dir> [rounds (5)] [seconds per round (2)]");
            System.exit(2);
        }
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        double seconds = args.length > 2 ? Double.parseDouble(args[2]) : 2.0;
        run(Path.of(args[0]), DEFAULT_SHAPES, rounds, seconds, System.out);
    }

    /**
     * Times both engines at each shape and prints one line per shape.
     *
     * @param secondsPerRound how long each engine runs per round (after one warm-up round)
     */
    public static List<Result> run(Path model, List<Shape> shapes, int rounds, double secondsPerRound, PrintStream out)
            throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        Path onnx = Files.isDirectory(model) ? model.resolve("model.onnx") : model;
        if (!onnx.getFileName().toString().endsWith(".onnx") || !Files.exists(onnx)) {
            throw new IllegalArgumentException("the benchmark runs ONNX Runtime on the same model: give an .onnx file or a directory with model.onnx");
        }
        List<Result> results = new ArrayList<>();
        try (JavaEngine java = JavaEngine.load(onnx); OnnxEngine ort = new OnnxEngine(onnx, cores, OnnxEngine.Device.CPU)) {
            out.printf("engine benchmark: %s, %d cores, %d rounds of %.1f s, best round kept%n",
                    onnx.getFileName(), cores, rounds, secondsPerRound);
            for (Shape shape : shapes) {
                TokenBatch batch = randomBatch(shape, java.config().vocabSize(), 42);
                Runnable javaRun = () -> java.run(batch);
                Runnable ortRun = () -> ort.run(batch);
                time(javaRun, secondsPerRound / 2);   // warm-up: JIT and scratch buffers
                time(ortRun, secondsPerRound / 2);
                double bestJava = 0, bestOrt = 0;
                for (int r = 0; r < rounds; r++) {
                    bestOrt = Math.max(bestOrt, shape.batch() * time(ortRun, secondsPerRound));
                    bestJava = Math.max(bestJava, shape.batch() * time(javaRun, secondsPerRound));
                }
                Result result = new Result(shape, bestJava, bestOrt);
                results.add(result);
                out.printf("batch %3d x %s tokens: java %8.1f texts/s (%7.0f tokens/s)   ort %8.1f texts/s   java/ort %.2fx%n",
                        shape.batch(), shape.tokensLabel(), bestJava, bestJava * batch.realTokens() / shape.batch(), bestOrt, result.ratio());
            }
        }
        return results;
    }

    /** Batches per second over at least {@code seconds} and at least 3 batches. */
    private static double time(Runnable run, double seconds) {
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        int n = 0;
        do {
            run.run();
            n++;
        } while (System.nanoTime() < deadline || n < 3);
        return n / ((System.nanoTime() - start) / 1e9);
    }

    /**
     * {@code batch} sequences of {@code minTokens..maxTokens} tokens (uniform at random): [CLS] (101), random word
     * pieces, [SEP] (102).
     */
    static TokenBatch randomBatch(Shape shape, int vocab, long seed) {
        Random random = new Random(seed);
        int[][] ids = new int[shape.batch()][];
        for (int i = 0; i < ids.length; i++) {
            int[] row = ids[i] = new int[shape.minTokens() + random.nextInt(shape.maxTokens() - shape.minTokens() + 1)];
            for (int j = 0; j < row.length; j++) row[j] = 1000 + random.nextInt(vocab - 1000);
            row[0] = 101;
            row[row.length - 1] = 102;
        }
        return TokenBatch.pad(ids, null, 0);
    }
}
