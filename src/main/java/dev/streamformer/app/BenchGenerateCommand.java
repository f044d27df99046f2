package dev.streamformer.app;

import dev.streamformer.task.generate.GenerateBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code streamformer bench generate}: prompt and new tokens/s of the Java decoders at batch 1 and 8; with
 * {@code --random-llama}, against Jlama on a random Llama of realistic size made at bench time.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generation throughput of the Java engine: prompt tokens/s and new tokens/s at batch 1 and 8."
                + " Options: --model DIR --prompts FILE (repeat in pairs) [--batch B ...] [--new-tokens N] [--rounds R];"
                + " without them, newsgpt-mini and t5-mini from ../shared with their reference prompts."
                + " --random-llama: writes a seeded random Llama (~75 M parameters, 32k vocab, BF16; options --hidden 768"
                + " --layers 8 --heads 12 --kv-heads 4 --intermediate 2048 --untied --dtype bf16|f32 --seed 42"
                + " --tokenizer ../shared/tokenizers/llama2/tokenizer.json --dir DIR) and races our engine (fp32, q8_0)"
                + " against Jlama 0.8.4 (weights as stored, and its Q4 copy) on it, alternating rounds: --prompts TEXTFILE"
                + " --num-prompts 8 --new-tokens 32 --rounds 3 --batch 1 --batch 8"
                + " --engines java-fp32,java-q8_0,jlama,jlama-q4 --jlama-kernels panama|native.")
final class BenchGenerateCommand implements Callable<Integer> {

    @Unmatched List<String> args;

    @Override
    public Integer call() {
        GenerateBenchmark.main(args == null ? new String[0] : args.toArray(String[]::new));
        return 0;
    }
}
