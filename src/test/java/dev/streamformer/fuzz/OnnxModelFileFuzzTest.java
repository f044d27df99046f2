package dev.streamformer.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.streamformer.tensor.OnnxFormatException;
import dev.streamformer.tensor.OnnxModelFile;
import dev.streamformer.tensor.OnnxTensor;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The ONNX weight reader on any file: it reads (and then every initializer and tensor attribute decodes to as many
 * values as its shape says, or is refused as the wrong kind of number) or it throws {@link OnnxFormatException}.
 * Nothing else: no allocation from a length the file claims, no buffer or index exception.
 */
class OnnxModelFileFuzzTest {

    private static final TempInput FILE = new TempInput(".onnx");

    @FuzzTest
    void anyBytes(byte[] bytes) throws IOException {
        OnnxModelFile model;
        try {
            model = OnnxModelFile.read(FILE.write(bytes));
        } catch (OnnxFormatException e) {
            assertNotNull(e.getMessage());
            return;
        }
        model.initializers().values().forEach(OnnxModelFileFuzzTest::decode);
        for (OnnxModelFile.Node node : model.nodes()) {
            for (OnnxModelFile.Attribute a : node.attributes().values()) {
                if (a.t() != null) decode(a.t());
            }
            for (String input : node.inputs()) {
                if (model.isConstant(input)) {
                    try {
                        model.constant(input);
                    } catch (OnnxFormatException e) {
                        assertNotNull(e.getMessage());
                    }
                }
            }
        }
    }

    /** Decodes a tensor as floats and as integers: each gives {@code size()} values or says it holds the other kind. */
    private static void decode(OnnxTensor t) {
        try {
            assertEquals(t.size(), t.toFloats().length);
        } catch (OnnxFormatException e) {
            assertNotNull(e.getMessage());
        }
        try {
            assertEquals(t.size(), t.toLongs().length);
        } catch (OnnxFormatException e) {
            assertNotNull(e.getMessage());
        }
    }
}
