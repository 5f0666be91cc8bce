package org.cxrclip.engine.ops;

import org.cxrclip.engine.Node;
import org.cxrclip.engine.Shape;
import org.cxrclip.engine.ShapeException;
import org.cxrclip.engine.Tensor;

/**
 * Row lookup in a (V, D) table: {@link #indexSelect} returns (N, D) for N indices, {@link #embedding} the same
 * reshaped to (index shape..., D). The backward scatter-adds the output gradient into the table's rows, so
 * repeated indices accumulate.
 */
public final class Gather {
    private Gather() {}

    /** out[i, :] = table[idx[i], :]; table (V, D), out (N, D). */
    public static Tensor indexSelect(Tensor table, int[] idx) {
        OpChecks.rank("indexSelect", "table", table, 2);
        int[] ix = idx.clone(); // the caller may reuse its array before backward runs
        OpChecks.indices("indexSelect", ix, table.dim(0));
        Tensor out = Tensor.zeros(table.backend(), ix.length, table.dim(1));
        table.backend().layout().gatherRows(table, ix, out);
        return Node.record(out, () -> new GatherNode(table, ix), table);
    }

    /** Embedding lookup: indices laid out in {@code idxShape}; out (idxShape..., D). */
    public static Tensor embedding(Tensor table, int[] idx, int... idxShape) {
        if (Shape.numel(idxShape) != idx.length)
            throw new ShapeException("embedding: " + idx.length + " indices do not fill index shape " + Shape.str(idxShape));
        OpChecks.rank("embedding", "table", table, 2);
        OpChecks.indices("embedding", idx, table.dim(0));
        int[] os = java.util.Arrays.copyOf(idxShape, idxShape.length + 1);
        os[idxShape.length] = table.dim(1);
        return Reshape.reshape(indexSelect(table, idx), os);
    }

    private static final class GatherNode extends Node {
        private final int[] idx;
        private Tensor table;

        GatherNode(Tensor table, int[] idx) {
            super(table);
            this.table = table;
            this.idx = idx;
        }

        @Override
        public String name() {
            return "indexSelect";
        }

        @Override
        protected void backward(Tensor g) {
            Tensor gt = Tensor.zeros(g.backend(), table.shape());
            g.backend().layout().scatterAddRows(g, idx, gt);
            table.accumulateGrad(gt);
        }

        @Override
        protected void release() {
            table = null;
        }
    }
}
