package dev.streamformer.app;

import dev.streamformer.streams.PipelineConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code run --cache / --cache-max-entries} reach the stage's pipeline config; without them the cache is off. */
class RunCacheFlagsTest {

    private static PipelineConfig.Cache cacheOf(String... extra) throws Exception {
        var command = new RunCommand();
        var args = new ArrayList<>(List.of("--input-topic", "in", "--output-topic", "out", "-b", "x:1"));
        args.addAll(List.of(extra));
        new CommandLine(command).parseArgs(args.toArray(String[]::new));
        return command.plan().stages().get(0).pipeline().build().cache();
    }

    @Test
    void flagsTurnTheCacheOnWithItsBound() throws Exception {
        assertEquals(PipelineConfig.Cache.OFF, cacheOf());
        assertEquals(new PipelineConfig.Cache(true, 100_000), cacheOf("--cache"));
        assertEquals(new PipelineConfig.Cache(true, 7), cacheOf("--cache", "--cache-max-entries", "7"));
    }
}
