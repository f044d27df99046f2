package dev.streamformer.tensor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** What {@link SafeTensorsWriter} writes, read back by {@link SafeTensors}: F32 exactly, BF16 rounded to nearest even. */
class SafeTensorsWriterTest {

    @TempDir
    Path tmp;

    @Test
    void f32AndBf16TensorsReadBack() throws IOException {
        float[] values = {1f, -2.5f, 0.1f, 3.0e-39f, Float.MAX_VALUE, Float.NEGATIVE_INFINITY};
        Path file = tmp.resolve("t.safetensors");
        new SafeTensorsWriter()
                .add("exact", new Tensor(values.clone(), new int[] {2, 3}))
                .add("rounded", new Tensor(values.clone(), new int[] {6}), SafeTensorsWriter.Dtype.BF16)
                .write(file);
        try (SafeTensors st = SafeTensors.open(file)) {
            assertEquals(SafeTensorInfo.DType.F32, st.info("exact").dtype());
            assertEquals(SafeTensorInfo.DType.BF16, st.info("rounded").dtype());
            assertArrayEquals(values, st.floats("exact", 2, 3));
            float[] bf16 = st.floats("rounded", 6);
            for (int i = 0; i < values.length; i++) {
                assertEquals(Float.intBitsToFloat(SafeTensorsWriter.toBf16(values[i]) << 16), bf16[i]);
            }
            assertEquals(0.10009765625f, bf16[2]); // 0.1 = 0x3DCCCCCD rounds up to 0x3DCD
            assertEquals(Float.POSITIVE_INFINITY, bf16[4]); // above BF16's largest finite value: rounds to infinity
        }
    }

    @Test
    void bf16RoundsHalfwayCasesToEven() {
        // 1 + 2^-8 lies halfway between BF16 1.0 (0x3F80, even) and 1.0078125 (0x3F81): ties go to the even one
        assertEquals((short) 0x3F80, SafeTensorsWriter.toBf16(Float.intBitsToFloat(0x3F808000)));
        // 0x3F818000 lies halfway between 0x3F81 (odd) and 0x3F82 (even)
        assertEquals((short) 0x3F82, SafeTensorsWriter.toBf16(Float.intBitsToFloat(0x3F818000)));
        // just above halfway rounds up, just below rounds down
        assertEquals((short) 0x3F81, SafeTensorsWriter.toBf16(Float.intBitsToFloat(0x3F808001)));
        assertEquals((short) 0x3F80, SafeTensorsWriter.toBf16(Float.intBitsToFloat(0x3F807FFF)));
        assertEquals(Float.NaN, Float.intBitsToFloat(SafeTensorsWriter.toBf16(Float.NaN) << 16));
    }
}
