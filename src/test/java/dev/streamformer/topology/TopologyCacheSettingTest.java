package dev.streamformer.topology;

import dev.streamformer.streams.PipelineConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A stage's {@code cache} block in a topology file reaches its pipeline config; off when absent. */
class TopologyCacheSettingTest {

    private static PipelineConfig.Cache cacheOf(String stageExtra) {
        TopologyLoader.Plan plan = TopologyLoader.parse("t.yaml", """
                stages:
                  - name: a
                    task: embed
                    model: all-minilm-l6-v2
                    input: in
                    output: out
                """ + stageExtra);
        return plan.stages().get(0).pipeline().streamsConfig("bootstrap.servers", "x:1").build().cache();
    }

    @Test
    void offUnlessTheStageTurnsItOn() {
        assertEquals(PipelineConfig.Cache.OFF, cacheOf(""));
        assertEquals(new PipelineConfig.Cache(true, 100_000), cacheOf("    cache: {enabled: true}\n"));
        assertEquals(new PipelineConfig.Cache(true, 42), cacheOf("    cache: {enabled: true, maxEntries: 42}\n"));
        assertEquals(new PipelineConfig.Cache(false, 42), cacheOf("    cache: {maxEntries: 42}\n"));
    }

    @Test
    void aNonPositiveBoundIsNamedWithItsLine() {
        var e = assertThrows(TopologyException.class, () -> cacheOf("    cache:\n      enabled: true\n      maxEntries: 0\n"));
        assertTrue(e.getMessage().startsWith("t.yaml:9: stages[0].cache.maxEntries: must be a positive whole number"), e.getMessage());
    }
}
