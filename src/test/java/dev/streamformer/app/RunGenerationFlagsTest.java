package dev.streamformer.app;

import dev.streamformer.task.generate.GenerationConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code run --ignore-eos} reaches the generate stage's decoding (it was accepted and then dropped on the way). */
class RunGenerationFlagsTest {

    private static GenerationConfig decodingOf(String... extra) throws Exception {
        var command = new RunCommand();
        var args = new ArrayList<>(List.of("--input-topic", "in", "--output-topic", "out", "-b", "x:1", "--task", "generate",
                "--model", "../shared/models/newsgpt-mini"));
        args.addAll(List.of(extra));
        new CommandLine(command).parseArgs(args.toArray(String[]::new));
        return command.plan().stages().get(0).task().generate().decoding();
    }

    @Test
    void ignoreEosKeepsGeneratingPastTheEndOfSequence() throws Exception {
        assertTrue(decodingOf().stopAtEos());
        assertFalse(decodingOf("--ignore-eos").stopAtEos());
    }
}
