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
 * garbage collection. The Java heap barely notices a step's tensors (small objects over large device buffers),
 * so the pool asks for a collection itself when live device memory reaches a threshold, then first reuses what
 * came back; only when live plus idle memory would pass 90 % of the device are idle buffers of other sizes
 * released, and only an allocation the driver refuses drains the pool completely before retrying. Up to a
 * quarter of the device (at least 1 GiB) is kept idle, so a training step's activations are reused, not
 * re-created, from one step to the next.
 *
 * <p>Reuse is safe without waiting: every command goes to one in-order queue, so a kernel still reading a
 * returned buffer finishes before the fill that zeroes it for its next owner.
 */
final class ClBufferPool {
    private final cl_context context;
    private final long deviceBytes;
    /** Pooled (idle) bytes above this are released instead of kept. */
    private final long maxIdleBytes;
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
        this.maxIdleBytes = Math.max(1L << 30, deviceBytes / 4);
        this.collectAt = (long) (deviceBytes * 0.85);
    }

    /** A buffer of at least {@code floats} floats (contents undefined). */
    cl_mem acquire(int floats) {
        int capacity = Math.max(1, floats);
        long bytes = 4L * capacity;
        cl_mem m = reuse(capacity);
        if (m != null) return m;
        boolean collect;
        synchronized (this) {
            collect = liveBytes + bytes > collectAt;
        }
        if (collect) {
            collectGarbage();
            synchronized (this) {
                collectAt = Math.max((long) (deviceBytes * 0.85), liveBytes + bytes + deviceBytes / 20);
            }
            m = reuse(capacity);
            if (m != null) return m;
        }
        synchronized (this) {
            if (liveBytes + idleBytes + bytes > (long) (deviceBytes * 0.9)) trim();
        }
        for (int attempt = 0; ; attempt++) {
            try {
                m = clCreateBuffer(context, CL_MEM_READ_WRITE, bytes, null, null);
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
                trim();
            }
        }
    }

    /** An idle buffer of exactly this capacity, now live, or null. */
    private synchronized cl_mem reuse(int capacity) {
        ArrayDeque<cl_mem> q = idle.get(capacity);
        if (q == null || q.isEmpty()) return null;
        long bytes = 4L * capacity;
        idleBytes -= bytes;
        liveBytes += bytes;
        idleBuffers--;
        liveBuffers++;
        return q.pop();
    }

    /** Called by the Cleaner of a {@link ClStorage} that nobody can reach any more. */
    void giveBack(cl_mem mem, int capacity) {
        long bytes = 4L * capacity;
        synchronized (this) {
            liveBytes -= bytes;
            liveBuffers--;
            if (idleBytes + bytes <= maxIdleBytes) {
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

    /** Asks for a collection and gives the Cleaner a moment to hand unreachable tensors' buffers back. */
    private void collectGarbage() {
        System.gc();
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
