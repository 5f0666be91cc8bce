package org.cxrclip.engine.backend.opencl;

import java.lang.ref.Cleaner;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;
import org.cxrclip.engine.backend.Storage;
import org.jocl.cl_mem;

/**
 * A float32 buffer in device memory. The cl_mem goes back to the backend's {@link ClBufferPool} when this
 * object becomes unreachable; the buffer never moves to the host except through {@link Backend#read}.
 */
public final class ClStorage implements Storage {
    private static final Cleaner CLEANER = Cleaner.create();

    private final OpenClBackend backend;
    private final cl_mem mem;
    private final int size;

    ClStorage(OpenClBackend backend, ClBufferPool pool, cl_mem mem, int size) {
        this.backend = backend;
        this.mem = mem;
        this.size = size;
        int capacity = Math.max(1, size);
        CLEANER.register(this, () -> pool.giveBack(mem, capacity));
    }

    @Override
    public Backend backend() {
        return backend;
    }

    @Override
    public int size() {
        return size;
    }

    cl_mem mem() {
        return mem;
    }

    /** The device buffer behind a tensor on an OpenCL backend; its elements start at {@link Tensor#offset()}. */
    static cl_mem mem(Tensor t) {
        if (t.storage() instanceof ClStorage s) return s.mem;
        throw new IllegalArgumentException("tensor lives on backend '" + t.backend().name() + "', not on OpenCL");
    }
}
