package dev.streamformer.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.streamformer.tensor.SafeTensorInfo;
import dev.streamformer.tensor.SafeTensors;
import dev.streamformer.tensor.SafeTensorsException;
import dev.streamformer.tensor.Tensor;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The safetensors reader on any file: it opens (and then every tensor reads as its header says) or it throws
 * {@link SafeTensorsException}. Nothing else: no OutOfMemoryError from a length the file claims, no index or
 * arithmetic exception from a hostile header.
 */
class SafeTensorsFuzzTest {

    private static final Set<SafeTensorInfo.DType> FLOAT_TYPES =
            EnumSet.of(SafeTensorInfo.DType.F32, SafeTensorInfo.DType.F16, SafeTensorInfo.DType.BF16);

    private static final TempInput FILE = new TempInput(".safetensors");

    @FuzzTest
    @DictionaryEntries({"\"dtype\"", "\"shape\"", "\"data_offsets\"", "\"__metadata__\"", "\"F32\"", "\"F16\"", "\"BF16\"",
            "\"I64\"", "\"BOOL\""})
    void anyBytes(byte[] bytes) {
        SafeTensors st;
        try {
            st = SafeTensors.open(FILE.write(bytes));
        } catch (SafeTensorsException e) {
            assertNotNull(e.getMessage());
            return;
        }
        try (st) {
            st.metadata().values().forEach(v -> assertNotNull(v));
            for (String name : st.names()) {
                SafeTensorInfo info = st.info(name);
                if (FLOAT_TYPES.contains(info.dtype())) {
                    readFloats(st, name, info);
                } else {
                    assertThrows(SafeTensorsException.class, () -> st.floats(name), "non-float dtype " + info.dtype());
                }
            }
        }
    }

    /** A float tensor the header accepted reads as exactly its element count, or is refused as too large. */
    private static void readFloats(SafeTensors st, String name, SafeTensorInfo info) {
        try {
            assertEquals(info.elementCount(), st.floats(name).length);
            Tensor t = st.tensor(name);
            assertArrayEquals(info.shape(), Arrays.stream(t.shape()).asLongStream().toArray());
        } catch (SafeTensorsException e) {
            assertNotNull(e.getMessage());
        }
    }
}
