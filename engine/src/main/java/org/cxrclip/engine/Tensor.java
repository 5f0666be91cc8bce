package org.cxrclip.engine;

import java.util.Arrays;
import org.cxrclip.engine.backend.Backend;
import org.cxrclip.engine.backend.Backends;
import org.cxrclip.engine.backend.Storage;

/**
 * A float32, row-major, contiguous n-dimensional array: a view (offset, shape) of a {@link Storage} owned by
 * one {@link Backend}. Views share storage (reshape, leading-axis slices) and cost nothing; every other
 * movement copies. For autograd a tensor may require a gradient; one produced by an op remembers the
 * {@link Node} that made it, and {@link #backward()} walks those nodes back to the leaves.
 */
public final class Tensor {
    private final Storage storage;
    private final int offset;
    private final int[] shape;
    private final int numel;

    private boolean requiresGrad;
    private Tensor grad;
    /** False while {@link #grad} may alias a tensor owned by someone else; copied before the first in-place add. */
    private boolean gradOwned;
    private Node gradFn;
    private boolean retainGrad;

    private Tensor(Storage storage, int offset, int[] shape) {
        this.storage = storage;
        this.offset = offset;
        this.shape = shape;
        this.numel = Shape.numel(shape);
        if (offset < 0 || (long) offset + numel > storage.size())
            throw new ShapeException("view " + Shape.str(shape) + " at offset " + offset
                    + " does not fit a storage of " + storage.size() + " floats");
    }

    // ---- creation ----

    /** A zero-filled tensor on the given backend. */
    public static Tensor zeros(Backend backend, int... shape) {
        int[] s = shape.clone();
        return new Tensor(backend.allocate(Shape.numel(s)), 0, s);
    }

    public static Tensor zeros(int... shape) {
        return zeros(Backends.defaultBackend(), shape);
    }

    /** A tensor holding a copy of {@code data}, which must have exactly numel(shape) values. */
    public static Tensor of(Backend backend, float[] data, int... shape) {
        int n = Shape.numel(shape);
        if (data.length != n)
            throw new ShapeException("tensor: " + data.length + " values do not fill shape " + Shape.str(shape));
        Tensor t = zeros(backend, shape);
        backend.write(data, 0, t.storage, 0, n);
        return t;
    }

    public static Tensor of(float[] data, int... shape) {
        return of(Backends.defaultBackend(), data, shape);
    }

    public static Tensor scalar(Backend backend, float value) {
        return of(backend, new float[] {value});
    }

    /** A tensor of {@code value}s, filled by the backend (no copy from the host). */
    public static Tensor full(Backend backend, float value, int... shape) {
        Tensor t = zeros(backend, shape);
        if (value != 0f || Float.floatToRawIntBits(value) != 0) backend.pointwise().fill(t, value);
        return t;
    }

    /** Standard-normal entries scaled by {@code std}, from a seeded generator. */
    public static Tensor randn(Backend backend, Rng rng, float std, int... shape) {
        float[] v = new float[Shape.numel(shape)];
        for (int i = 0; i < v.length; i++) v[i] = (float) (rng.nextGaussian() * std);
        return of(backend, v, shape);
    }

    /** Uniform entries in [lo, hi), from a seeded generator. */
    public static Tensor uniform(Backend backend, Rng rng, float lo, float hi, int... shape) {
        float[] v = new float[Shape.numel(shape)];
        for (int i = 0; i < v.length; i++) v[i] = lo + (hi - lo) * rng.nextFloat();
        return of(backend, v, shape);
    }

    /** A new zero tensor with this tensor's backend and the given shape. */
    public Tensor newZeros(int... shape) {
        return zeros(backend(), shape);
    }

    // ---- shape and memory ----

    public Storage storage() {
        return storage;
    }

    public int offset() {
        return offset;
    }

    public Backend backend() {
        return storage.backend();
    }

    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    /** Size of an axis; negative axes count from the end. */
    public int dim(int axis) {
        return shape[Shape.axis("dim", axis, shape.length)];
    }

    public int numel() {
        return numel;
    }

    /**
     * A view with another shape and the same data (one dimension may be -1). No autograd: use the reshape op
     * when gradients must flow through.
     */
    public Tensor view(int... newShape) {
        return new Tensor(storage, offset, Shape.resolveReshape(shape, newShape));
    }

    /** A view of rows [start, end) along the leading axis. No autograd (see the slice op). */
    public Tensor rows(int start, int end) {
        if (shape.length == 0) throw new ShapeException("rows: scalar has no leading axis");
        if (start < 0 || end > shape[0] || start > end)
            throw new ShapeException("rows: [" + start + ", " + end + ") out of range for shape " + Shape.str(shape));
        int[] s = shape.clone();
        s[0] = end - start;
        return new Tensor(storage, offset + start * Shape.prod(shape, 1, shape.length), s);
    }

    /** A copy of the data in host memory. */
    public float[] toArray() {
        float[] out = new float[numel];
        backend().read(storage, offset, out, 0, numel);
        return out;
    }

    /** The value of a one-element tensor. */
    public float item() {
        if (numel != 1) throw new ShapeException("item: tensor of shape " + Shape.str(shape) + " is not one element");
        float[] v = new float[1];
        backend().read(storage, offset, v, 0, 1);
        return v[0];
    }

    /** A deep copy without autograd history. */
    public Tensor copy() {
        Tensor t = zeros(backend(), shape);
        backend().pointwise().copy(this, t);
        return t;
    }

    /** A copy on another backend. */
    public Tensor to(Backend target) {
        return target == backend() ? this : of(target, toArray(), shape);
    }

    /** Overwrites the data with {@code values} (no autograd; for optimisers and loaders). */
    public void assign(float[] values) {
        if (values.length != numel)
            throw new ShapeException("assign: " + values.length + " values for shape " + Shape.str(shape));
        backend().write(values, 0, storage, offset, numel);
    }

    // ---- autograd ----

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Marks a leaf as a parameter whose gradient {@link #backward()} fills. Returns this. */
    public Tensor requiresGrad(boolean value) {
        if (gradFn != null && !value) throw new IllegalStateException("cannot clear requiresGrad on a non-leaf tensor");
        this.requiresGrad = value;
        return this;
    }

    /** The accumulated gradient, or null. */
    public Tensor grad() {
        return grad;
    }

    public void zeroGrad() {
        grad = null;
        gradOwned = false;
    }

    /** Keep the gradient of this non-leaf tensor after backward (leaves always keep theirs). */
    public Tensor retainGrad() {
        retainGrad = true;
        return this;
    }

    public Node gradFn() {
        return gradFn;
    }

    public boolean isLeaf() {
        return gradFn == null;
    }

    /** Called by ops: this tensor is the output of {@code node}. */
    void setGradFn(Node node) {
        this.gradFn = node;
        this.requiresGrad = true;
    }

    /** Adds {@code g} to this tensor's gradient (fan-out safe; {@code g} is never written to). */
    public void accumulateGrad(Tensor g) {
        if (!requiresGrad) return;
        if (!Arrays.equals(g.shape, shape))
            throw new ShapeException("gradient of shape " + Shape.str(g.shape) + " for tensor of shape " + Shape.str(shape));
        if (grad == null) {
            grad = g;
            gradOwned = false;
            return;
        }
        if (!gradOwned) {
            grad = grad.copy();
            gradOwned = true;
        }
        backend().pointwise().axpy(1f, g, grad);
    }

    boolean keepsGrad() {
        return gradFn == null || retainGrad;
    }

    void dropGrad() {
        grad = null;
        gradOwned = false;
    }

    /** Backpropagates from a one-element tensor (seed gradient 1). */
    public void backward() {
        if (!requiresGrad)
            throw new IllegalStateException("backward: tensor does not require a gradient (no parameter reaches it)");
        if (numel != 1)
            throw new ShapeException("backward() needs a one-element tensor, got shape " + Shape.str(shape)
                    + "; pass the output gradient explicitly");
        backward(full(backend(), 1f, shape));
    }

    /** Backpropagates {@code gradOutput} (same shape as this tensor) to every leaf that requires a gradient. */
    public void backward(Tensor gradOutput) {
        Autograd.backward(this, gradOutput);
    }

    /** A tensor sharing this one's data with no autograd history. */
    public Tensor detach() {
        return new Tensor(storage, offset, shape);
    }

    @Override
    public String toString() {
        float[] v = new float[Math.min(numel, 16)];
        backend().read(storage, offset, v, 0, v.length);
        return "Tensor" + Shape.str(shape) + "(" + backend().name() + ")" + Arrays.toString(v)
                + (numel > 16 ? "..." : "") + (requiresGrad ? " requiresGrad" : "");
    }
}
