package org.cxrclip.engine.backend;

/**
 * A flat float32 buffer owned by one {@link Backend}: a Java array for the CPU backends, device memory for a
 * GPU backend. Tensors are (storage, offset, shape) views, so kernels always see contiguous row-major data.
 */
public interface Storage {
    Backend backend();

    /** Capacity in floats. */
    int size();
}
