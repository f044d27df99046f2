package dev.streamformer.engine.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;

/**
 * A direct, native-order buffer that ONNX Runtime reads or writes in place (a tensor made from a direct buffer is not
 * copied). Reused from run to run and grown by half again when a run needs more, so a cache that gains a column per
 * step reallocates only now and then.
 */
final class DirectBuffer {

    private final String what;
    private ByteBuffer bytes = ByteBuffer.allocateDirect(0);

    /** @param what names the tensor in the error when it would exceed a Java buffer's 2 GiB */
    DirectBuffer(String what) {
        this.what = what;
    }

    /** The first {@code count} floats, as a buffer whose {@code remaining()} is exactly {@code count}. */
    FloatBuffer floats(long count) {
        return ensure(count, Float.BYTES).asFloatBuffer();
    }

    /** The first {@code count} longs, as a buffer whose {@code remaining()} is exactly {@code count}. */
    LongBuffer longs(long count) {
        return ensure(count, Long.BYTES).asLongBuffer();
    }

    private ByteBuffer ensure(long count, int width) {
        long need = count * width;
        if (need > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + " of one ONNX Runtime call would take " + (need >> 20) + " MiB, more than a"
                    + " Java buffer holds: generate for fewer prompts at once or fewer tokens.");
        }
        if (need > bytes.capacity()) {
            long grown = Math.min(Integer.MAX_VALUE, Math.max(need, bytes.capacity() + (long) bytes.capacity() / 2));
            bytes = ByteBuffer.allocateDirect((int) grown).order(ByteOrder.nativeOrder());
        }
        return bytes.slice(0, (int) need).order(ByteOrder.nativeOrder());
    }
}
