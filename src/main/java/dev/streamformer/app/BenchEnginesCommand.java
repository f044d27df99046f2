package dev.streamformer.app;

import dev.streamformer.bench.EngineBenchmark;
import dev.streamformer.model.ModelRegistry;
import dev.streamformer.model.ResolvedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code streamformer bench engines}: our Java Transformer vs ONNX Runtime on the same weights, same batches, one run. */
@Command(name = "engines", mixinStandardHelpOptions = true,
        description = "Java engine vs ONNX Runtime on the same ONNX weights at batch 1 x 16, 8 x 64 and 32 x 128 tokens: texts/s and the ratio.")
final class BenchEnginesCommand implements Callable<Integer> {

    @Option(names = {"-m", "--model"}, defaultValue = ModelRegistry.DEFAULT_MODEL, description = "Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--rounds", defaultValue = "3", description = "Timed rounds per shape; the best is kept. Default: ${DEFAULT-VALUE}.")
    int rounds;

    @Option(names = "--seconds", defaultValue = "2", description = "Seconds per engine per round. Default: ${DEFAULT-VALUE}.")
    double seconds;

    @Option(names = "--shapes", split = ",", paramLabel = "BATCHxTOKENS",
            description = "Batch shapes to time, e.g. 1x16,4x32, or 32x8-128 for texts of 8 to 128 tokens (ONNX Runtime gets them padded, the Java engine packed). Default: 1x16,8x64,32x128.")
    java.util.List<String> shapes;

    @Override
    public Integer call() throws Exception {
        ResolvedModel files = ModelRegistry.standard().resolve(model);
        if (files.onnx() == null) throw new IllegalArgumentException("Model " + model + " has no .onnx file: the comparison needs ONNX Runtime on the same weights.");
        EngineBenchmark.run(files.onnx(), shapes == null ? EngineBenchmark.DEFAULT_SHAPES : shapes.stream().map(EngineBenchmark.Shape::parse).toList(),
                rounds, seconds, System.out);
        return 0;
    }
}
