package org.cxrclip.engine.backend;

import org.cxrclip.engine.Tensor;

/** Storage in a Java {@code float[]}, shared by the reference and CPU backends. */
public record HostStorage(Backend backend, float[] data) implements Storage {
    @Override
    public int size() {
        return data.length;
    }

    /** The array behind a tensor on a host backend; its elements start at {@link Tensor#offset()}. */
    public static float[] array(Tensor t) {
        if (t.storage() instanceof HostStorage h) return h.data;
        throw new IllegalArgumentException("tensor lives on backend '" + t.backend().name() + "', not in host memory");
    }
}
