package dev.streamformer.app;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each one-task command offers its own task's options only; {@code run} offers all; defaults agree everywhere. */
class CommandOptionsTest {

    private static Set<String> options(String command) {
        return Main.commandLine().getSubcommands().get(command).getCommandSpec().options().stream()
                .map(CommandLine.Model.OptionSpec::longestName).collect(Collectors.toSet());
    }

    @Test
    void oneTaskCommandsShowOnlyTheirOwnTaskOptions() {
        Set<String> embed = options("embed"), classify = options("classify"), generate = options("generate"), run = options("run");
        for (Set<String> all : java.util.List.of(embed, classify, generate, run)) {
            assertTrue(all.containsAll(Set.of("--model", "--engine", "--max-tokens", "--max-batch", "--overflow")), all.toString());
        }
        assertTrue(embed.contains("--prefix"));
        assertFalse(embed.contains("--labels") || embed.contains("--temperature"), embed.toString());
        assertTrue(classify.containsAll(Set.of("--labels", "--threshold", "--min-score", "--all-scores")));
        assertFalse(classify.contains("--prefix") || classify.contains("--temperature"), classify.toString());
        assertTrue(generate.containsAll(Set.of("--temperature", "--top-k", "--top-p", "--template", "--prompt")));
        assertFalse(generate.contains("--prefix") || generate.contains("--labels"), generate.toString());
        assertTrue(run.containsAll(Set.of("--prefix", "--labels", "--temperature", "--template")), run.toString());
    }

    @Test
    void anOptionOfAnotherTaskIsRefusedNotIgnored() throws Exception {
        var result = CliTest.run("", "embed", "--temperature", "0.7");
        assertEquals(2, result.exit(), result.err());
        assertTrue(result.err().contains("--temperature"), result.err());
    }

    @Test
    void defaultsOfOptionsLeftOutEqualThoseParsedByPicocli() {
        var parsed = new TaskOptions();
        new CommandLine(parsed).parseArgs();
        var spec = parsed.spec("classify");
        var unparsed = TaskOptions.spec("classify", parsed.model, new BatchOptions(), new EmbedOptions(), new ClassifyOptions(),
                new GenerationOptions());
        assertEquals(spec, unparsed);
    }
}
