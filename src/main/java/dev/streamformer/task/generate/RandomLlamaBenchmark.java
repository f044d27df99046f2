package dev.streamformer.task.generate;

import dev.streamformer.engine.java.decoder.LanguageModels;
import dev.streamformer.engine.java.decoder.Quantization;
import dev.streamformer.tensor.SafeTensorsWriter;
import dev.streamformer.tokenize.Tokenizer;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code streamformer bench generate --random-llama}: our Java engine (fp32 and Q8_0) against Jlama on the same
 * Hugging Face folder, a {@link RandomLlama} of realistic size made at bench time, in one run.
 *
 * <p>Every engine gets the same prompt texts (lines of a text file); ours feeds the ids of our tokenizer, Jlama
 * tokenizes with its own, and the output says whether the two agree. Each engine counts the tokens it actually
 * processed. Greedy decoding, {@code --new-tokens} per prompt (the random model never produces end-of-sequence, see
 * {@link RandomLlama}). Engines take turns round by round (the order rotates) after one untimed warm-up round each,
 * and each keeps its best round, because the machine may be shared and one run varies.
 *
 * <pre>
 * streamformer bench generate --random-llama [--hidden 768 --layers 8 --heads 12 --kv-heads 4 --intermediate 2048]
 *     [--untied] [--dtype bf16|f32] [--seed 42] [--tokenizer FILE] [--dir DIR] [--prompts FILE] [--num-prompts 8]
 *     [--new-tokens 32] [--rounds 3] [--batch 1 --batch 8] [--engines java-fp32,java-bf16,java-q8_0,jlama,jlama-q4]
 *     [--jlama-kernels panama|native]
 * </pre>
 *
 * <p>Jlama runs its Java (Panama Vector API) kernels by default. Its README recommends jlama-native's C kernels for
 * speed, and {@code --jlama-kernels native} times them, but in 0.8.4 on an AVX2 machine they compute a different
 * model once the width reaches 512: on the default model their first greedy token equals ours on 1 of 8 prompts,
 * where Jlama's own Java kernels agree with ours on 8 of 8 (at widths 64 and 256 the native kernels agree too).
 * The agreement lines of the output show it on every run; a peer that computes something else is not a peer.
 */
public final class RandomLlamaBenchmark {

    /** The engines a run can time, in output order. */
    enum Engine {
        JAVA_FP32("java-fp32"), JAVA_BF16("java-bf16"), JAVA_Q8_0("java-q8_0"), JLAMA("jlama"), JLAMA_Q4("jlama-q4");

        final String label;

        Engine(String label) { this.label = label; }

        boolean jlama() { return this == JLAMA || this == JLAMA_Q4; }

        static Engine parse(String label) {
            for (Engine e : values()) if (e.label.equals(label)) return e;
            throw new IllegalArgumentException("--engines: '" + label + "' is not an engine; use java-fp32, java-bf16, java-q8_0, jlama, jlama-q4.");
        }
    }

    /** Options of one run, with the defaults a bare {@code --random-llama} gets. */
    static final class Options {
        RandomLlama model = RandomLlama.defaults();
        int hidden = model.hidden(), layers = model.layers(), heads = model.heads(), kvHeads = model.kvHeads(),
                intermediate = model.intermediate();
        Path tokenizer = Path.of("..", "shared", "tokenizers", "llama2", "tokenizer.json");
        Path dir;
        Path prompts = Path.of("..", "shared", "data", "generation", "prompts.txt");
        int numPrompts = 8, newTokens = 32, rounds = 3;
        List<Integer> batches = new ArrayList<>();
        List<Engine> engines = List.of(Engine.values());
        boolean jlamaNative;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--random-llama" -> { }
                    case "--hidden" -> o.hidden = intArg(args, ++i, a);
                    case "--layers" -> o.layers = intArg(args, ++i, a);
                    case "--heads" -> o.heads = intArg(args, ++i, a);
                    case "--kv-heads" -> o.kvHeads = intArg(args, ++i, a);
                    case "--intermediate" -> o.intermediate = intArg(args, ++i, a);
                    case "--untied" -> o.model = o.model.withTiedEmbeddings(false);
                    case "--tied" -> o.model = o.model.withTiedEmbeddings(true);
                    case "--dtype" -> o.model = o.model.withDtype(dtype(arg(args, ++i, a)));
                    case "--seed" -> o.model = o.model.withSeed(Long.parseLong(arg(args, ++i, a)));
                    case "--tokenizer" -> o.tokenizer = Path.of(arg(args, ++i, a));
                    case "--dir" -> o.dir = Path.of(arg(args, ++i, a));
                    case "--prompts" -> o.prompts = Path.of(arg(args, ++i, a));
                    case "--num-prompts" -> o.numPrompts = intArg(args, ++i, a);
                    case "--new-tokens" -> o.newTokens = intArg(args, ++i, a);
                    case "--rounds" -> o.rounds = intArg(args, ++i, a);
                    case "--batch" -> o.batches.add(intArg(args, ++i, a));
                    case "--jlama-kernels" -> o.jlamaNative = switch (arg(args, ++i, a)) {
                        case "native" -> true;
                        case "panama" -> false;
                        default -> throw new IllegalArgumentException("--jlama-kernels: use panama (Jlama's Java kernels) or native (jlama-native's).");
                    };
                    case "--engines" -> o.engines = Arrays.stream(arg(args, ++i, a).split(",")).map(String::trim).map(Engine::parse)
                            .distinct().sorted().toList();
                    default -> throw new IllegalArgumentException("unknown option " + a + " for --random-llama; use --hidden --layers --heads "
                            + "--kv-heads --intermediate --untied --dtype --seed --tokenizer --dir --prompts --num-prompts --new-tokens "
                            + "--rounds --batch --engines --jlama-kernels.");
                }
            }
            // sizes are checked together, once all are known
            o.model = new RandomLlama(o.model.vocab(), o.hidden, o.layers, o.heads, o.kvHeads, o.intermediate,
                    o.model.tiedEmbeddings(), o.model.dtype(), o.model.seed());
            if (o.batches.isEmpty()) o.batches = List.of(1, 8);
            if (o.newTokens < 2) throw new IllegalArgumentException("--new-tokens must be at least 2 (one from prefill, one decoded).");
            if (o.rounds < 1 || o.numPrompts < 1) throw new IllegalArgumentException("--rounds and --num-prompts must be at least 1.");
            if (o.dir == null) o.dir = Path.of("target", "random-llama", o.model.folderName());
            return o;
        }

        private static String arg(String[] args, int i, String option) {
            if (i >= args.length) throw new IllegalArgumentException(option + " needs a value.");
            return args[i];
        }

        private static int intArg(String[] args, int i, String option) {
            return Integer.parseInt(arg(args, i, option));
        }

        private static SafeTensorsWriter.Dtype dtype(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "bf16", "bfloat16" -> SafeTensorsWriter.Dtype.BF16;
                case "f32", "fp32", "float32" -> SafeTensorsWriter.Dtype.F32;
                default -> throw new IllegalArgumentException("--dtype '" + s + "': use bf16 or f32.");
            };
        }
    }

    private RandomLlamaBenchmark() {}

    public static void main(String[] args) {
        run(Options.parse(args), System.out);
    }

    static void run(Options o, PrintStream out) {
        long written = System.nanoTime();
        Path dir = o.model.write(o.dir, o.tokenizer);
        out.printf(Locale.ROOT, "%s%n  at %s (ready in %.1f s)%n", o.model.describe(), dir, (System.nanoTime() - written) / 1e9);

        List<String> texts = readTexts(o.prompts, o.numPrompts);
        Tokenizer tokenizer = Tokenizer.fromFile(dir.resolve("tokenizer.json"));
        List<int[]> ids = texts.stream().map(t -> tokenizer.encode(t).ids()).toList();
        out.printf(Locale.ROOT, "prompts: %d lines of %s, %d tokens with BOS by our tokenizer%n", texts.size(), o.prompts,
                ids.stream().mapToInt(p -> p.length).sum());

        int cores = Runtime.getRuntime().availableProcessors();
        // Jlama reads this once, when it first multiplies: before any Jlama model loads
        if (!o.jlamaNative) System.setProperty(JlamaPeer.FORCE_PANAMA, "true");
        Map<Engine, Runner> runners = new LinkedHashMap<>();
        try {
            for (Engine e : o.engines) runners.put(e, Runner.load(e, dir, cores, texts, ids));
            describe(runners, ids, texts, out);
            out.printf(Locale.ROOT, "greedy, %d new tokens per prompt, %d timed rounds after a warm-up, engines alternating, best round kept; "
                    + "%d cores, load average %.2f%n", o.newTokens, o.rounds, cores,
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            for (int batch : o.batches) report(batch, measure(runners, batch, o), out);
        } finally {
            for (Runner r : runners.values()) r.close();
        }
    }

    /**
     * Engine details, whether Jlama's tokenizer gives our ids, and how often each engine's first greedy token equals
     * the exact model's (our fp32): the same model computed, or a quantized approximation of it, not something else.
     */
    private static void describe(Map<Engine, Runner> runners, List<int[]> ids, List<String> texts, PrintStream out) {
        Runner exact = runners.get(Engine.JAVA_FP32);
        int[] expected = exact == null ? null : ids.stream().mapToInt(exact::firstGreedyToken).toArray();
        for (Runner r : runners.values()) {
            if (r.jlama != null) {
                out.println(r.engine.label + ": " + r.jlama.describe());
                int same = 0;
                for (int i = 0; i < texts.size(); i++) if (Arrays.equals(r.jlama.promptIds(texts.get(i)), ids.get(i))) same++;
                out.printf("  its tokenizer gives our ids for %d of %d prompts%n", same, texts.size());
            }
            if (exact == null || r == exact) continue;
            int agree = 0;
            for (int i = 0; i < ids.size(); i++) if (r.firstGreedyToken(ids.get(i)) == expected[i]) agree++;
            out.printf("%s first greedy token equals java-fp32's for %d of %d prompts%n",
                    r.jlama != null ? "  its" : r.engine.label + ":", agree, ids.size());
        }
    }

    /** Best round of every engine at one batch size; Jlama only at batch 1 (it has no batched generation). */
    private static Map<Engine, GenerateBenchmark.Round> measure(Map<Engine, Runner> runners, int batch, Options o) {
        List<Runner> timed = runners.values().stream().filter(r -> batch == 1 || !r.engine.jlama()).toList();
        for (Runner r : timed) r.round(batch, o.newTokens); // warm-up: JIT, scratch buffers, page cache
        Map<Engine, GenerateBenchmark.Round> best = new LinkedHashMap<>();
        for (int round = 0; round < o.rounds; round++) {
            for (int k = 0; k < timed.size(); k++) {
                Runner r = timed.get((k + round) % timed.size()); // rotate who goes first
                GenerateBenchmark.Round m = r.round(batch, o.newTokens);
                best.merge(r.engine, m, RandomLlamaBenchmark::better);
            }
        }
        return best;
    }

    /** The faster of two rounds, phase by phase: each phase's best time is its least disturbed one. */
    private static GenerateBenchmark.Round better(GenerateBenchmark.Round a, GenerateBenchmark.Round b) {
        GenerateBenchmark.Round prefill = a.promptTokensPerSecond() >= b.promptTokensPerSecond() ? a : b;
        GenerateBenchmark.Round decode = a.newTokensPerSecond() >= b.newTokensPerSecond() ? a : b;
        return new GenerateBenchmark.Round(prefill.prompts(), prefill.promptTokens(), prefill.prefillNanos(),
                decode.newTokens(), decode.decodeSteps(), decode.decodeNanos());
    }

    private static void report(int batch, Map<Engine, GenerateBenchmark.Round> best, PrintStream out) {
        out.printf(Locale.ROOT, "%nbatch %d%n%-10s %14s %14s %12s %12s%n", batch, "engine", "prompt tokens", "prompt tok/s",
                "new tokens", "new tok/s");
        for (var e : best.entrySet()) {
            GenerateBenchmark.Round r = e.getValue();
            out.printf(Locale.ROOT, "%-10s %14d %14.0f %12d %12.1f%n", e.getKey().label, r.promptTokens(),
                    r.promptTokensPerSecond(), r.newTokens(), r.newTokensPerSecond());
        }
        if (batch != 1 && best.keySet().stream().noneMatch(Engine::jlama)) {
            out.println("jlama, jlama-q4: not run, Jlama 0.8.4 has no batched generation (one prompt per generate call, as at batch 1)");
        }
        ratio(best, Engine.JAVA_FP32, Engine.JAVA_Q8_0, "q8_0/fp32 (ours)", out);
        ratio(best, Engine.JAVA_FP32, Engine.JLAMA, "ours/Jlama, fp32 vs Jlama as loaded", out);
        ratio(best, Engine.JAVA_BF16, Engine.JLAMA, "ours/Jlama, bf16 vs Jlama as loaded", out);
        ratio(best, Engine.JAVA_Q8_0, Engine.JLAMA_Q4, "ours/Jlama, q8_0 vs Jlama Q4 (8 vs 4 bits)", out);
    }

    /** Prints numerator/denominator throughput for both phases (q8_0/fp32 is printed as q8_0 over fp32). */
    private static void ratio(Map<Engine, GenerateBenchmark.Round> best, Engine first, Engine second, String label, PrintStream out) {
        GenerateBenchmark.Round a = best.get(first), b = best.get(second);
        if (a == null || b == null) return;
        boolean ourQuantization = second == Engine.JAVA_Q8_0;
        GenerateBenchmark.Round num = ourQuantization ? b : a, den = ourQuantization ? a : b;
        out.printf(Locale.ROOT, "  %-44s prompt %5.2fx   new %5.2fx%n", label,
                num.promptTokensPerSecond() / den.promptTokensPerSecond(), num.newTokensPerSecond() / den.newTokensPerSecond());
    }

    /** The first {@code n} non-blank lines of a text file. */
    static List<String> readTexts(Path file, int n) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("the prompts file " + file.toAbsolutePath() + " does not exist: give a text file "
                    + "with one prompt a line with --prompts (../shared/data/generation/prompts.txt is the default).");
        }
        try {
            List<String> lines = Files.readAllLines(file).stream().filter(l -> !l.isBlank()).limit(n).toList();
            if (lines.isEmpty()) throw new IllegalArgumentException(file + " has no prompts.");
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(file + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** One loaded engine and the prompts in the form it takes (ids for ours, texts for Jlama). */
    private static final class Runner implements AutoCloseable {
        final Engine engine;
        final Generator generator;   // ours
        final JlamaPeer jlama;       // Jlama
        final List<String> texts;
        final List<int[]> ids;

        private Runner(Engine engine, Generator generator, JlamaPeer jlama, List<String> texts, List<int[]> ids) {
            this.engine = engine;
            this.generator = generator;
            this.jlama = jlama;
            this.texts = texts;
            this.ids = ids;
        }

        static Runner load(Engine e, Path dir, int cores, List<String> texts, List<int[]> ids) {
            return switch (e) {
                case JAVA_FP32 -> new Runner(e, new Generator(LanguageModels.load(dir, Quantization.NONE), null), null, texts, ids);
                case JAVA_BF16 -> new Runner(e, new Generator(LanguageModels.load(dir, Quantization.BF16), null), null, texts, ids);
                case JAVA_Q8_0 -> new Runner(e, new Generator(LanguageModels.load(dir, Quantization.Q8_0), null), null, texts, ids);
                case JLAMA -> new Runner(e, null, JlamaPeer.load(dir, JlamaPeer.Weights.AS_STORED, cores), texts, ids);
                case JLAMA_Q4 -> new Runner(e, null, JlamaPeer.load(dir, JlamaPeer.Weights.Q4, cores), texts, ids);
            };
        }

        GenerateBenchmark.Round round(int batch, int newTokens) {
            return jlama != null ? jlama.round(texts, newTokens) : GenerateBenchmark.round(generator, ids, batch, newTokens);
        }

        int firstGreedyToken(int[] prompt) {
            if (jlama != null) return jlama.firstGreedyToken(prompt);
            return generator.generate(List.of(prompt), GenerationConfig.greedy(1).withStopAtEos(false), null)
                    .getFirst().tokens()[0];
        }

        @Override
        public void close() {
            if (jlama != null) jlama.close();
        }
    }
}
