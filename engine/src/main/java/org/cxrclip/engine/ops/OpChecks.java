package org.cxrclip.engine.ops;

import org.cxrclip.engine.ShapeException;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;

/** Argument checks shared by the ops; each failure names the op so the user knows which call was wrong. */
public final class OpChecks {
    private OpChecks() {}

    /** All non-null tensors live on one backend; returns it. */
    public static Backend sameBackend(String op, Tensor... ts) {
        Backend b = null;
        for (Tensor t : ts) {
            if (t == null) continue;
            if (b == null) b = t.backend();
            else if (t.backend() != b)
                throw new IllegalArgumentException(op + ": tensors on different backends ("
                        + b.name() + " and " + t.backend().name() + "); move them with Tensor.to(backend)");
        }
        if (b == null) throw new IllegalArgumentException(op + ": no tensor given");
        return b;
    }

    public static void rank(String op, String what, Tensor t, int rank) {
        if (t.rank() != rank)
            throw new ShapeException(op + ": " + what + " must have rank " + rank + ", got shape "
                    + java.util.Arrays.toString(t.shape()));
    }

    /** Every index in [0, bound). */
    public static void indices(String op, int[] idx, int bound) {
        for (int i = 0; i < idx.length; i++)
            if (idx[i] < 0 || idx[i] >= bound)
                throw new ShapeException(op + ": index " + idx[i] + " at position " + i + " out of range [0, " + bound + ")");
    }
}
