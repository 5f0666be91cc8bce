package org.cxrclip.engine.backend.opencl;

import static org.jocl.CL.*;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.jocl.CLException;
import org.jocl.cl_context;
import org.jocl.cl_mem;

/**
 * Device buffers kept for reuse, keyed by exact capacity: a training step allocates the same shapes every
 * step, so after the first step almost every allocation is a pool hit and no clCreateBuffer runs. Buffers come
 * back when their {@link ClStorage} becomes unreachable (a Cleaner), so device memory follows the Java heap's
 * garbage collection; when the device runs short we ask for a collection, drain the pool and retry.
 *
 * <p>Reuse is safe without waiting: every command goes to one in-order queue, so a kernel still reading a
 * returned buffer finishes before the fill that zeroes it for its next owner.
 */
final class ClBufferPool {
    /** Pooled (idle) bytes above this are released instead of kept. */
    private static final long MAX_IDLE_BYTES = 1L << 30;

    private final cl_context context;
    private final long deviceBytes;
    private final Map<Integer, ArrayDeque<cl_mem>> idle = new HashMap<>();
    private long idleBytes;
    private long liveBytes;
    private int liveBuffers, idleBuffers;
    private long created, released;
    /** Live bytes at which the next allocation first asks for a collection (raised after each, so a model that
     * really fills the device does not collect on every allocation). */
    private long collectAt;

    ClBufferPool(cl_context context, long deviceBytes) {
        this.context = context;
        this.deviceBytes = deviceBytes;
        this.collectAt = (long) (deviceBytes * 0.85);
    }

    /** A buffer of at least {@code floats} floats (contents undefined). */
    cl_mem acquire(int floats) {
        int capacity = Math.max(1, floats);
        long bytes = 4L * capacity;
        synchronized (this) {
            ArrayDeque<cl_mem> q = idle.get(capacity);
            if (q != null && !q.isEmpty()) {
                idleBytes -= bytes;
                liveBytes += bytes;
                idleBuffers--;
                liveBuffers++;
                return q.pop();
            }
        }
        boolean collect;
        synchronized (this) {
            collect = liveBytes + bytes > collectAt;
        }
        if (collect) {
            collectGarbage();
            synchronized (this) {
                collectAt = Math.max((long) (deviceBytes * 0.85), liveBytes + bytes + deviceBytes / 20);
            }
        }
        for (int attempt = 0; ; attempt++) {
            try {
                cl_mem m = clCreateBuffer(context, CL_MEM_READ_WRITE, bytes, null, null);
                synchronized (this) {
                    liveBytes += bytes;
                    liveBuffers++;
                    created++;
                }
                return m;
            } catch (CLException e) {
                if (attempt >= 2) throw new IllegalStateException("OpenCL: cannot allocate " + (bytes >> 20)
                        + " MiB of device memory (" + (liveBytes >> 20) + " MiB in use): " + e.getMessage(), e);
                collectGarbage();
            }
        }
    }

    /** Called by the Cleaner of a {@link ClStorage} that nobody can reach any more. */
    void giveBack(cl_mem mem, int capacity) {
        long bytes = 4L * capacity;
        synchronized (this) {
            liveBytes -= bytes;
            liveBuffers--;
            if (idleBytes + bytes <= MAX_IDLE_BYTES) {
                idle.computeIfAbsent(capacity, c -> new ArrayDeque<>()).push(mem);
                idleBytes += bytes;
                idleBuffers++;
                return;
            }
            released++;
        }
        clReleaseMemObject(mem);
    }

    /** What the pool holds now, and how many device buffers it has created and released in all. */
    record Stats(int liveBuffers, long liveBytes, int idleBuffers, long idleBytes, long created, long released) {}

    synchronized Stats stats() {
        return new Stats(liveBuffers, liveBytes, idleBuffers, idleBytes, created, released);
    }

    /** Releases every idle buffer (device memory back to the driver; the next allocations create new ones). */
    synchronized void trim() {
        for (ArrayDeque<cl_mem> q : idle.values()) {
            for (cl_mem m : q) clReleaseMemObject(m);
            released += q.size();
        }
        idle.clear();
        idleBytes = 0;
        idleBuffers = 0;
    }

    private void collectGarbage() {
        System.gc();
        try {
            Thread.sleep(50); // let the Cleaner thread hand buffers back
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        trim();
    }
}
