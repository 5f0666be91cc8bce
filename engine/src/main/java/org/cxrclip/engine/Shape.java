package org.cxrclip.engine;

import java.util.Arrays;

/**
 * Shape arithmetic on plain {@code int[]} shapes (row-major, contiguous): element counts, numpy-style
 * broadcasting, axis normalisation and the checks every op uses to fail with a message that names the op and
 * the shapes instead of an index error deep inside a kernel.
 */
public final class Shape {
    private Shape() {}

    /** Number of elements; rejects negative dimensions and sizes over {@link Integer#MAX_VALUE}. */
    public static int numel(int... shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new ShapeException("negative dimension in shape " + str(shape));
            n *= d;
            if (n > Integer.MAX_VALUE) throw new ShapeException("shape " + str(shape) + " has more than 2^31-1 elements");
        }
        return (int) n;
    }

    public static String str(int... shape) {
        return Arrays.toString(shape);
    }

    /** Normalises a possibly negative axis; {@code op} names the caller in the error. */
    public static int axis(String op, int axis, int rank) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) throw new ShapeException(op + ": axis " + axis + " out of range for rank " + rank);
        return a;
    }

    /** numpy broadcasting of two shapes (aligned at the right); throws naming {@code op} if incompatible. */
    public static int[] broadcast(String op, int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1)
                throw new ShapeException(op + ": shapes " + str(a) + " and " + str(b) + " cannot be broadcast");
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** True if {@code from} broadcasts to exactly {@code to}. */
    public static boolean broadcastsTo(int[] from, int[] to) {
        if (from.length > to.length) return false;
        int off = to.length - from.length;
        for (int i = 0; i < from.length; i++) if (from[i] != 1 && from[i] != to[i + off]) return false;
        return true;
    }

    /**
     * Row-major strides of {@code shape} as seen from a broadcast target of rank {@code rank}: leading missing
     * axes and size-1 axes get stride 0, so index arithmetic over the target shape reads the broadcast source.
     */
    public static int[] broadcastStrides(int[] shape, int rank) {
        int[] s = new int[rank];
        int stride = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            int t = i + rank - shape.length;
            s[t] = shape[i] == 1 ? 0 : stride;
            stride *= shape[i];
        }
        return s;
    }

    public static int[] strides(int[] shape) {
        int[] s = new int[shape.length];
        int stride = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = stride;
            stride *= shape[i];
        }
        return s;
    }

    public static void requireSame(String op, int[] a, int[] b) {
        if (!Arrays.equals(a, b)) throw new ShapeException(op + ": shapes differ: " + str(a) + " vs " + str(b));
    }

    public static void requireRank(String op, String what, int[] shape, int minRank) {
        if (shape.length < minRank)
            throw new ShapeException(op + ": " + what + " needs rank >= " + minRank + ", got shape " + str(shape));
    }

    /** Product of the dimensions in [from, to). */
    public static int prod(int[] shape, int from, int to) {
        int p = 1;
        for (int i = from; i < to; i++) p *= shape[i];
        return p;
    }

    /** Resolves a single -1 in a requested reshape; checks the element count. */
    public static int[] resolveReshape(int[] from, int[] to) {
        int n = numel(from);
        int[] out = to.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == -1) {
                if (infer >= 0) throw new ShapeException("reshape: more than one -1 in " + str(to));
                infer = i;
            } else if (out[i] < 0) {
                throw new ShapeException("reshape: negative dimension in " + str(to));
            } else known *= out[i];
        }
        if (infer >= 0) {
            if (known == 0 || n % known != 0)
                throw new ShapeException("reshape: cannot reshape " + str(from) + " to " + str(to));
            out[infer] = (int) (n / known);
        }
        if (numel(out) != n) throw new ShapeException("reshape: cannot reshape " + str(from) + " to " + str(to));
        return out;
    }
}
