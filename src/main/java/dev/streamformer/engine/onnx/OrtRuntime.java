package dev.streamformer.engine.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.streamformer.model.ModelLoadException;

import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/** Starting ONNX Runtime and opening sessions, shared by the encoder ({@link OnnxEngine}) and the decoder ({@link OnnxLanguageModel}). */
final class OrtRuntime {

    private OrtRuntime() {}

    /**
     * ORT's shared environment. The first call, which loads the native library and starts ORT's telemetry, runs on a
     * thread with a large stack: that start-up parses {@code /proc/self/cmdline}, and with a long command line (a
     * {@code -cp} of a hundred jars, as IDEs and build tools write them) it overflows the main thread's 1 MiB stack and the
     * JVM dies with SIGSEGV and no error report (measured with ORT 1.29: a 7 KB classpath is enough).
     */
    static OrtEnvironment environment() {
        var start = new FutureTask<>(OrtEnvironment::getEnvironment);
        new Thread(null, start, "onnxruntime-start", 64L << 20).start();
        try {
            return start.get();
        } catch (ExecutionException e) {
            throw new ModelLoadException("ONNX Runtime could not start (" + e.getCause() + "): check that its native library"
                    + " matches this platform (linux-x64, linux-aarch64, macOS, Windows).", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelLoadException("Interrupted while ONNX Runtime was starting.", e);
        }
    }

    /** A session on {@code onnxFile} with all graph optimisations, {@code intraOpThreads} (0: ORT's default) and the device. */
    static OrtSession open(OrtEnvironment env, Path onnxFile, int intraOpThreads, OnnxEngine.Device device) {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (intraOpThreads > 0) options.setIntraOpNumThreads(intraOpThreads);
            if (device == OnnxEngine.Device.CUDA) enableCuda(options);
            return env.createSession(onnxFile.toString(), options);
        } catch (OrtException e) {
            throw new ModelLoadException(onnxFile + " cannot be loaded by ONNX Runtime (" + e.getMessage()
                    + "): check that it is a complete ONNX export of the model.", e);
        }
    }

    private static void enableCuda(OrtSession.SessionOptions options) {
        try {
            options.addCUDA(0);
        } catch (OrtException | RuntimeException | UnsatisfiedLinkError e) {
            throw new ModelLoadException("CUDA is not usable here (" + e.getMessage() + "): build with -Pcuda on a machine with an"
                    + " NVIDIA GPU, CUDA 12 and cuDNN 9, or run with --device cpu.", e);
        }
    }
}
