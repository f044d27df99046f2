package dev.streamformer.app;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** README's configuration reference is generated from the code; this fails when they drift apart. */
class ConfigReferenceTest {

    @Test
    void readmeHoldsTheGeneratedReference() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int begin = readme.indexOf(ConfigReference.BEGIN), end = readme.indexOf(ConfigReference.END);
        assertTrue(begin >= 0 && end > begin, "README.md lacks the generated reference markers");
        String inReadme = readme.substring(begin + ConfigReference.BEGIN.length(), end).strip();
        assertEquals(ConfigReference.markdown().strip(), inReadme,
                "README.md's configuration reference is stale: replace it with the output of ./streamformer reference");
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : new String[]{"demo", "run", "validate", "broker", "embed", "classify", "rerank", "entities", "generate", "train",
                "tokenize", "bench"}) {
            assertEquals(0, Main.commandLine().execute(command, "--help"), command);
        }
    }
}
