package org.cxrclip.clip.weights;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.function.Supplier;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;

/**
 * One named tensor of a weight file: its shape, the element type the file stores, and a way to produce its values
 * as float32. Values are decoded only when {@link #toFloats()} is called, from a memory-mapped slice of the file, so
 * opening a 600 MB checkpoint costs page-cache, not heap; each call decodes afresh (callers keep what they need).
 *
 * <p>A mapped tensor is a PyTorch-style view: element offset and strides (in elements) into a storage region, so
 * non-contiguous and shared storages decode correctly. A computed tensor (HF q/k/v concatenation, a transposed
 * projection) derives its values from other tensors, also lazily.
 */
public final class WeightTensor {
    /** Largest tensor we decode into one float[] (Java array limit). */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;
    /**
     * Elements a view may have beyond its storage's element count. Only zero or overlapping strides (a broadcast
     * view, which torch.save keeps as such) let a view outgrow its storage; without a cap a few bytes of pickle
     * could demand a float[] of two billion elements.
     */
    static final long MAX_BROADCAST_ELEMENTS = 1L << 24;

    private final String name;
    private final int[] shape;
    private final WeightDType dtype;
    private final Supplier<float[]> values;

    private WeightTensor(String name, int[] shape, WeightDType dtype, Supplier<float[]> values) {
        this.name = name;
        this.shape = shape.clone();
        this.dtype = dtype;
        this.values = values;
    }

    /**
     * A view into raw little- or big-endian storage bytes. {@code where} names the file for error messages.
     *
     * @throws WeightFileException if the view reaches outside the storage or the shape/strides are invalid
     */
    static WeightTensor mapped(String where, String name, WeightDType dtype, int[] shape, MemorySegment storage,
            ByteOrder order, long offset, long[] strides) {
        if (strides.length != shape.length) {
            throw new WeightFileException(where, name, "has " + shape.length + " dims but " + strides.length + " strides");
        }
        long numel = numel(where, name, shape);
        long storageElems = storage.byteSize() / dtype.bytes();
        if (numel > MAX_ELEMENTS) {
            throw new WeightFileException(where, name, "has " + numel + " elements " + Arrays.toString(shape)
                    + ", more than one array can hold");
        }
        if (numel > storageElems && numel > MAX_BROADCAST_ELEMENTS) {
            throw new WeightFileException(where, name, "is a view of " + numel + " elements " + Arrays.toString(shape)
                    + " over a storage of only " + storageElems + "; views that reuse storage elements (zero or"
                    + " overlapping strides) are read up to " + MAX_BROADCAST_ELEMENTS + " elements");
        }
        if (offset < 0) {
            throw new WeightFileException(where, name, "has negative storage offset " + offset);
        }
        long last = offset;
        for (int d = 0; d < shape.length; d++) {
            if (strides[d] < 0) {
                throw new WeightFileException(where, name, "has negative stride " + strides[d]);
            }
            if (shape[d] > 0) {
                last = addExact(where, name, last, mulExact(where, name, shape[d] - 1L, strides[d]));
            }
        }
        if (numel > 0 && last >= storageElems) {
            throw new WeightFileException(where, name, "reaches element " + last + " but its storage holds only "
                    + storageElems + " " + dtype + " elements");
        }
        int[] s = shape.clone();
        long[] st = strides.clone();
        return new WeightTensor(name, shape, dtype, () -> StorageDecoder.decode(storage, dtype, order, offset, s, st));
    }

    /** A tensor whose float32 values are computed on demand (e.g. derived from other tensors). */
    public static WeightTensor computed(String name, WeightDType sourceType, int[] shape, Supplier<float[]> values) {
        return new WeightTensor(name, shape, sourceType, values);
    }

    /** A float32 tensor holding the given values (not copied; do not modify them afterwards). */
    public static WeightTensor ofFloats(String name, float[] data, int... shape) {
        long n = numel("memory", name, shape);
        if (n != data.length) {
            throw new IllegalArgumentException(name + ": " + data.length + " values for shape " + Arrays.toString(shape));
        }
        return new WeightTensor(name, shape, WeightDType.F32, () -> data.clone());
    }

    public String name() {
        return name;
    }

    public int[] shape() {
        return shape.clone();
    }

    /** The element type stored in the file (values are always delivered as float32). */
    public WeightDType dtype() {
        return dtype;
    }

    public long numel() {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** Decodes the values to float32, row-major. */
    public float[] toFloats() {
        float[] v = values.get();
        if (v.length != numel()) {
            throw new IllegalStateException(name + ": decoded " + v.length + " values for shape " + Arrays.toString(shape));
        }
        return v;
    }

    /** Decodes into an engine tensor on the given backend. */
    public Tensor toTensor(Backend backend) {
        return Tensor.of(backend, toFloats(), shape.length == 0 ? new int[0] : shape.clone());
    }

    /** The same values under another name. */
    public WeightTensor renamed(String newName) {
        return new WeightTensor(newName, shape, dtype, values);
    }

    @Override
    public String toString() {
        return name + " " + Arrays.toString(shape) + " " + dtype;
    }

    static long numel(String where, String name, int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new WeightFileException(where, name, "has negative dimension in shape " + Arrays.toString(shape));
            }
            n = mulExact(where, name, n, d);
        }
        return n;
    }

    private static long mulExact(String where, String name, long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            throw new WeightFileException(where, name, "has a size that overflows 64 bits");
        }
    }

    private static long addExact(String where, String name, long a, long b) {
        try {
            return Math.addExact(a, b);
        } catch (ArithmeticException e) {
            throw new WeightFileException(where, name, "has an offset that overflows 64 bits");
        }
    }

    /** Turns raw storage bytes into float32: bulk copies for contiguous runs, a gather for strided views. */
    static final class StorageDecoder {
        private static final int CHUNK = 1 << 14;
        private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

        private StorageDecoder() {
        }

        static float[] decode(MemorySegment storage, WeightDType dtype, ByteOrder order, long offset, int[] shape,
                long[] strides) {
            long n = 1;
            for (int d : shape) {
                n *= d;
            }
            if (n > MAX_ELEMENTS) {
                throw new IllegalStateException("tensor of " + n + " elements is too large for one float[]");
            }
            float[] out = new float[(int) n];
            if (n == 0) {
                return out;
            }
            if (isContiguous(shape, strides)) {
                decodeRun(storage, dtype, order, offset, out, 0, (int) n);
                return out;
            }
            // Gather row by row over the last dimension; the outer index walks the other dimensions.
            int rank = shape.length;
            int inner = shape[rank - 1];
            long innerStride = strides[rank - 1];
            int[] index = new int[rank - 1];
            for (int pos = 0; pos < n; pos += inner) {
                long base = offset;
                for (int d = 0; d < rank - 1; d++) {
                    base += index[d] * strides[d];
                }
                if (innerStride == 1 && inner >= 16) {  // short rows go element by element: no buffer per row
                    decodeRun(storage, dtype, order, base, out, pos, inner);
                } else {
                    for (int j = 0; j < inner; j++) {
                        out[pos + j] = decodeOne(storage, dtype, order, base + j * innerStride);
                    }
                }
                for (int d = rank - 2; d >= 0; d--) {
                    if (++index[d] < shape[d]) {
                        break;
                    }
                    index[d] = 0;
                }
            }
            return out;
        }

        static boolean isContiguous(int[] shape, long[] strides) {
            long expected = 1;
            for (int d = shape.length - 1; d >= 0; d--) {
                if (shape[d] != 1 && strides[d] != expected) {
                    return false;
                }
                expected *= shape[d];
            }
            return true;
        }

        /*
         * decodeOne reads through these little-endian layouts, made once, and swaps the bytes for big-endian
         * storage: withOrder builds a new layout, and decodeOne runs once per element of a strided view (a broadcast
         * view of 15M elements made 1.9 GB of garbage, found by WeightFilesFuzzTest's allocation check). Every
         * access site names one constant layout: choosing between two layouts per element (le ? A : B) crashed
         * Temurin 25.0.3's C2 compiler while compiling decode (SIGSEGV in Compile::final_graph_reshaping_walk).
         */
        private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(LE);
        private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LE);
        private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(LE);

        static void decodeRun(MemorySegment s, WeightDType t, ByteOrder o, long elem, float[] out, int at, int count) {
            long byteOff = elem * t.bytes();
            switch (t) {
                case F32 -> MemorySegment.copy(s, ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(o), byteOff, out, at, count);
                case F16, BF16 -> {
                    short[] buf = new short[Math.min(count, CHUNK)];
                    for (int done = 0; done < count; done += buf.length) {
                        int len = Math.min(buf.length, count - done);
                        MemorySegment.copy(s, ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(o), byteOff + 2L * done, buf, 0, len);
                        for (int i = 0; i < len; i++) {
                            out[at + done + i] = t == WeightDType.F16 ? Float.float16ToFloat(buf[i])
                                    : Float.intBitsToFloat((buf[i] & 0xffff) << 16);
                        }
                    }
                }
                default -> {
                    for (int i = 0; i < count; i++) {
                        out[at + i] = decodeOne(s, t, o, elem + i);
                    }
                }
            }
        }

        static float decodeOne(MemorySegment s, WeightDType t, ByteOrder o, long elem) {
            long b = elem * t.bytes();
            boolean swap = o != LE;
            return switch (t) {
                case F32 -> Float.intBitsToFloat(int32(s, b, swap));
                case F16 -> Float.float16ToFloat(int16(s, b, swap));
                case BF16 -> Float.intBitsToFloat((int16(s, b, swap) & 0xffff) << 16);
                case F64 -> (float) Double.longBitsToDouble(int64(s, b, swap));
                case I64 -> (float) int64(s, b, swap);
                case I32 -> (float) int32(s, b, swap);
                case U8 -> (float) (s.get(ValueLayout.JAVA_BYTE, b) & 0xff);
                case BOOL -> s.get(ValueLayout.JAVA_BYTE, b) != 0 ? 1f : 0f;
            };
        }

        private static int int32(MemorySegment s, long at, boolean swap) {
            int v = s.get(I32, at);
            return swap ? Integer.reverseBytes(v) : v;
        }

        private static short int16(MemorySegment s, long at, boolean swap) {
            short v = s.get(I16, at);
            return swap ? Short.reverseBytes(v) : v;
        }

        private static long int64(MemorySegment s, long at, boolean swap) {
            long v = s.get(I64, at);
            return swap ? Long.reverseBytes(v) : v;
        }
    }
}
