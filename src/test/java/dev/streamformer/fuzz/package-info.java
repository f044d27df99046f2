/**
 * Fuzz tests (Jazzer's JUnit integration) of every parser that reads outside input: the tokenizers, the JSON
 * event parser, the safetensors and ONNX weight readers and the topology file parser.
 *
 * <p>In a normal {@code mvn test} each {@code @FuzzTest} replays its inputs under
 * {@code src/test/resources/dev/streamformer/fuzz/<Class>Inputs/<method>/} (seeds we wrote, and the reproducers
 * of bugs the fuzzer found), so a fixed bug stays fixed. With {@code JAZZER_FUZZ=1} it fuzzes one method for real:
 * <pre>{@code
 * JAZZER_FUZZ=1 JAZZER_MAX_DURATION=120s ./mvnw -B -o test -Dtest='SafeTensorsFuzzTest#anyBytes'
 * }</pre>
 * Each harness states the contract it checks: which exception is the documented one, and what a success must satisfy.
 */
package dev.streamformer.fuzz;
