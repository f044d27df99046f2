package dev.streamformer.tensor;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The protobuf wire format, just enough of it to walk an ONNX file: varints, fixed 32/64-bit values and
 * length-delimited fields. Every length is checked against the end of the message that holds it, so a
 * truncated or hostile file fails with a clear message instead of allocating or reading out of bounds.
 *
 * <p>A reader covers one message {@code [pos, end)} of a shared buffer; {@link #message()} opens a nested one.
 */
final class OnnxProtoReader {

    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    private final ByteBuffer buf;
    private int pos;
    private final int end;
    private int tag;

    OnnxProtoReader(ByteBuffer buf, int start, int end) {
        if (start < 0 || end > buf.limit() || start > end) {
            throw new OnnxFormatException("message [" + start + ", " + end + ") lies outside the file of " + buf.limit() + " bytes");
        }
        this.buf = buf;
        this.pos = start;
        this.end = end;
    }

    /** Advances to the next field; false at the end of this message. */
    boolean next() {
        if (pos >= end) return false;
        long key = varint();
        tag = (int) key;
        if (key >>> 32 != 0 || fieldNumber() == 0) throw new OnnxFormatException("bad field key " + key + " at byte " + pos);
        return true;
    }

    int fieldNumber() { return tag >>> 3; }

    int wireType() { return tag & 7; }

    long varint() {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= end) throw new OnnxFormatException("varint runs past the end of its message at byte " + pos);
            byte b = buf.get(pos++);
            result |= (long) (b & 0x7f) << shift;
            if (b >= 0) return result;
        }
        throw new OnnxFormatException("varint longer than 10 bytes at byte " + pos);
    }

    int fixed32() {
        require(4);
        int v = buf.getInt(pos);
        pos += 4;
        return v;
    }

    long fixed64() {
        require(8);
        long v = buf.getLong(pos);
        pos += 8;
        return v;
    }

    /** Reads the length of a length-delimited field and returns its start; the reader moves past it. */
    private int lengthDelimited() {
        if (wireType() != LENGTH_DELIMITED) throw new OnnxFormatException("field " + fieldNumber() + " is not length-delimited");
        long len = varint();
        if (len < 0 || len > end - pos) {
            throw new OnnxFormatException("field " + fieldNumber() + " claims " + len + " bytes but only " + (end - pos) + " remain");
        }
        int start = pos;
        pos += (int) len;
        return start;
    }

    OnnxProtoReader message() {
        int start = lengthDelimited();
        return new OnnxProtoReader(buf, start, pos);
    }

    String string() {
        int start = lengthDelimited();
        byte[] bytes = new byte[pos - start];
        buf.get(start, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** A little-endian view of the bytes of a length-delimited field (no copy). */
    ByteBuffer bytes() {
        int start = lengthDelimited();
        return buf.slice(start, pos - start).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    }

    /** Appends a repeated varint field, whether packed (one length-delimited run) or not (one value). */
    void varints(LongList out) {
        if (wireType() == VARINT) {
            out.add(varint());
        } else {
            OnnxProtoReader packed = message();
            while (packed.hasMore()) out.add(packed.varint());
        }
    }

    /** True while this message has unread bytes. */
    boolean hasMore() { return pos < end; }

    /** Appends a repeated float field, packed or not. */
    void floats(FloatList out) {
        if (wireType() == FIXED32) {
            out.add(Float.intBitsToFloat(fixed32()));
        } else {
            OnnxProtoReader packed = message();
            while (packed.hasMore()) out.add(Float.intBitsToFloat(packed.fixed32()));
        }
    }

    /** Appends a repeated double field, packed or not. */
    void doubles(FloatList out) {
        if (wireType() == FIXED64) {
            out.add((float) Double.longBitsToDouble(fixed64()));
        } else {
            OnnxProtoReader packed = message();
            while (packed.hasMore()) out.add((float) Double.longBitsToDouble(packed.fixed64()));
        }
    }

    void skip() {
        switch (wireType()) {
            case VARINT -> varint();
            case FIXED64 -> { require(8); pos += 8; }
            case FIXED32 -> { require(4); pos += 4; }
            case LENGTH_DELIMITED -> lengthDelimited();
            default -> throw new OnnxFormatException("unsupported wire type " + wireType() + " at byte " + pos);
        }
    }

    private void require(int n) {
        if (end - pos < n) throw new OnnxFormatException("need " + n + " bytes at byte " + pos + " but the message ends at " + end);
    }

    /** A growable list of longs, for repeated int64 fields. */
    static final class LongList {
        private long[] values = new long[4];
        private int size;

        void add(long v) {
            if (size == values.length) values = java.util.Arrays.copyOf(values, size * 2);
            values[size++] = v;
        }

        int size() { return size; }

        long[] toArray() { return java.util.Arrays.copyOf(values, size); }
    }

    /** A growable list of floats, for repeated float fields. */
    static final class FloatList {
        private float[] values = new float[4];
        private int size;

        void add(float v) {
            if (size == values.length) values = java.util.Arrays.copyOf(values, size * 2);
            values[size++] = v;
        }

        int size() { return size; }

        float[] toArray() { return java.util.Arrays.copyOf(values, size); }
    }
}
