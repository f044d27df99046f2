package dev.streamformer.streams;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.streamformer.streams.KafkaTestSupport.header;
import static dev.streamformer.streams.KafkaTestSupport.string;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Compares what was produced with what the read_committed reader saw: each good id once, each bad id once in the DLQ. */
final class ExactlyOnceCheck {

    private ExactlyOnceCheck() {}

    static void assertExactlyOnce(List<KafkaTestSupport.Produced> produced, List<ConsumerRecord<byte[], byte[]>> output,
                                  List<ConsumerRecord<byte[], byte[]>> deadLetters) {
        Map<String, KafkaTestSupport.Produced> byId = new HashMap<>();
        produced.forEach(p -> byId.put(p.id(), p));

        Map<String, Integer> outputCounts = counts(output);
        Map<String, Integer> deadCounts = counts(deadLetters);
        var problems = new ArrayList<String>();
        for (KafkaTestSupport.Produced p : produced) {
            int out = outputCounts.getOrDefault(p.id(), 0);
            int dead = deadCounts.getOrDefault(p.id(), 0);
            int expectedOut = p.bad() ? 0 : 1;
            if (out != expectedOut || dead != 1 - expectedOut) {
                problems.add(p.id() + (p.bad() ? " (bad)" : " (good)") + ": " + out + "× in output, " + dead + "× in DLQ");
            }
        }
        for (String id : outputCounts.keySet()) {
            if (!byId.containsKey(id)) problems.add("unknown id in output: " + id);
        }
        if (!problems.isEmpty()) {
            fail(problems.size() + " ids not exactly once, e.g. " + problems.subList(0, Math.min(10, problems.size())));
        }

        for (ConsumerRecord<byte[], byte[]> dead : deadLetters) {
            KafkaTestSupport.Produced p = byId.get(string(dead.key()));
            assertTrue(Arrays.equals(p.value(), dead.value()), "DLQ value of " + p.id() + " is not the original bytes");
            assertNotNull(header(dead, DeadLetters.STAGE), "stage header");
            assertNotNull(header(dead, DeadLetters.REASON), "reason header");
            assertNotNull(header(dead, DeadLetters.CLASS), "class header");
            assertNotNull(header(dead, DeadLetters.MESSAGE), "message header");
            assertEquals(Integer.toString(p.partition()), header(dead, DeadLetters.SOURCE_PARTITION), p.id());
            assertEquals(Long.toString(p.offset()), header(dead, DeadLetters.SOURCE_OFFSET), p.id());
        }
    }

    /** How many records per reason, for the test report. */
    static Map<String, Integer> reasons(List<ConsumerRecord<byte[], byte[]>> deadLetters) {
        var reasons = new TreeMap<String, Integer>();
        deadLetters.forEach(r -> reasons.merge(header(r, DeadLetters.STAGE) + "/" + header(r, DeadLetters.REASON), 1, Integer::sum));
        return reasons;
    }

    private static Map<String, Integer> counts(List<ConsumerRecord<byte[], byte[]>> records) {
        var counts = new HashMap<String, Integer>();
        records.forEach(r -> counts.merge(string(r.key()), 1, Integer::sum));
        return counts;
    }
}
