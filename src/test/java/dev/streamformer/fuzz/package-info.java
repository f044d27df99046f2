/**
 * Fuzz tests (Jazzer's JUnit integration) of every parser that reads outside input: the tokenizers, the JSON
 * event parser, the safetensors and ONNX weight readers and the topology file parser.
 *
 * <p>In a normal {@code mvn test} each {@code @FuzzTest} replays its inputs under
 * {@code src/test/resources/dev/streamformer/fuzz/<Class>Inputs/<method>/} (seeds we wrote, and the reproducers
 * of bugs the fuzzer found), so a fixed bug stays fixed. With {@code JAZZER_FUZZ=1} and {@code -Djazzer.hooks=true}
 * (src/test/resources/junit-platform.properties keeps Jazzer's agent out of normal runs) it fuzzes one method for
 * real, saving any crashing input into that directory:
 * <pre>{@code
 * JAZZER_FUZZ=1 ./mvnw -B -o test -Djazzer.hooks=true -Djazzer.max_duration=150s \
 *     -Djazzer.instrument='dev.streamformer.**,com.fasterxml.jackson.**,org.yaml.snakeyaml.**' \
 *     -Dtest='TokenizerFuzzTest#unigram'
 * }</pre>
 * Each harness states the contract it checks: which exception is the documented one, and what a success must satisfy.
 */
package dev.streamformer.fuzz;
