package dev.streamformer.tensor;

/**
 * The tensor types of ggml (llama.cpp) that a GGUF file may hold, with their block layout: {@code blockSize} values
 * are stored in {@code blockBytes} bytes. The ones we read:
 * <pre>
 *   F32    1 value  in 4 bytes
 *   F16    1 value  in 2 bytes   IEEE half
 *   BF16   1 value  in 2 bytes   the top half of an fp32
 *   Q8_0   32 values in 34 bytes  fp16 scale d, 32 × int8 q                  w = d · q
 *   Q4_0   32 values in 18 bytes  fp16 scale d, 16 bytes of 4-bit pairs      w = d · (nibble − 8); the low nibbles of
 *                                 byte j are values 0..15, the high nibbles values 16..31
 * </pre>
 * Every other ggml type (Q4_1, Q5_*, the K-quants, the IQ types) is named so a refusal can say which one it met.
 */
public enum GgmlType {
    F32(0, 1, 4), F16(1, 1, 2), Q4_0(2, 32, 18), Q4_1(3, 32, 20), Q5_0(6, 32, 22), Q5_1(7, 32, 24), Q8_0(8, 32, 34),
    Q8_1(9, 32, 36), Q2_K(10, 256, 84), Q3_K(11, 256, 110), Q4_K(12, 256, 144), Q5_K(13, 256, 176), Q6_K(14, 256, 210),
    Q8_K(15, 256, 292), IQ2_XXS(16, 256, 66), IQ2_XS(17, 256, 74), IQ3_XXS(18, 256, 98), IQ1_S(19, 256, 50),
    IQ4_NL(20, 32, 18), IQ3_S(21, 256, 110), IQ2_S(22, 256, 82), IQ4_XS(23, 256, 136), I8(24, 1, 1), I16(25, 1, 2),
    I32(26, 1, 4), I64(27, 1, 8), F64(28, 1, 8), IQ1_M(29, 256, 56), BF16(30, 1, 2);

    private final int id;
    private final int blockSize;
    private final int blockBytes;

    GgmlType(int id, int blockSize, int blockBytes) {
        this.id = id;
        this.blockSize = blockSize;
        this.blockBytes = blockBytes;
    }

    public int id() { return id; }

    /** Values per block. */
    public int blockSize() { return blockSize; }

    /** Bytes per block. */
    public int blockBytes() { return blockBytes; }

    /** Bytes that {@code values} values take (a whole number of blocks). */
    public long bytesFor(long values) {
        return values / blockSize * blockBytes;
    }

    /** The type with ggml id {@code id}, or null when ggml has no such type (or it was removed). */
    public static GgmlType of(int id) {
        for (GgmlType t : values()) if (t.id == id) return t;
        return null;
    }
}
