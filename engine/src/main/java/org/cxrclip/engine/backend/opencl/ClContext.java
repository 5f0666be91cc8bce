package org.cxrclip.engine.backend.opencl;

import static org.jocl.CL.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cxrclip.engine.Tensor;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.jocl.cl_queue_properties;

/**
 * One device's context and its single in-order command queue: every kernel, copy and fill is enqueued here,
 * so commands run in program order without events, and only reads from the device block. Kernel launches are
 * serialised because a cl_kernel's arguments are shared state.
 *
 * <p>Every copy between host and device is counted ({@link #transfers}), so tests can check that a training step
 * moves O(1) values, not the model. Small integer tables that describe a launch (shapes, broadcast strides,
 * permutations, class targets) are uploaded once per distinct content and then kept on the device
 * ({@link #TABLES_KEPT} at most, least recently used dropped): a training step repeats the same shapes, so from the
 * second step on they cost nothing. Per-call data (token ids) is passed as {@link Indices} and uploaded each time.
 */
final class ClContext {
    /** Distinct launch tables kept on the device. */
    static final int TABLES_KEPT = 4096;

    final ClDevices.Device device;
    final cl_context context;
    final cl_command_queue queue;
    final ClBufferPool pool;
    final ClProgramCache programs;
    /** Per-kernel device time, or null (see {@link ClProfile}). */
    private final ClProfile profile;
    private long toDevice, toHost, bytesToDevice, bytesToHost;
    private final Map<Table, cl_mem> tables = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Table, cl_mem> eldest) {
            if (size() <= TABLES_KEPT) return false;
            clReleaseMemObject(eldest.getValue()); // released once the commands already enqueued with it finish
            return true;
        }
    };

    /** Integers that change from call to call (e.g. token ids): uploaded at each launch, never kept. */
    record Indices(int[] values) {}

    /** A launch table as a map key: equal contents, equal key. */
    private record Table(int[] values) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Table t && Arrays.equals(values, t.values);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values);
        }
    }

    ClContext(ClDevices.Device device) {
        this(device, ClProgramCache.defaultCacheDir());
    }

    /** A context whose program binaries are cached in {@code cacheDir} (null: no cache). */
    ClContext(ClDevices.Device device, java.nio.file.Path cacheDir) {
        CL.setExceptionsEnabled(true);
        this.device = device;
        cl_context_properties props = new cl_context_properties();
        props.addProperty(CL_CONTEXT_PLATFORM, device.platform());
        this.context = clCreateContext(props, 1, new org.jocl.cl_device_id[] {device.id()}, null, null, null);
        cl_queue_properties qp = new cl_queue_properties();
        if (ClProfile.requested()) qp.addProperty(CL_QUEUE_PROPERTIES, CL_QUEUE_PROFILING_ENABLE);
        this.queue = clCreateCommandQueueWithProperties(context, device.id(), qp, null);
        this.profile = ClProfile.requested() ? new ClProfile(device.describe(), this::transfers) : null;
        this.pool = new ClBufferPool(context, device.globalMemBytes());
        this.programs = new ClProgramCache(context, device, cacheDir);
    }

    /** Host↔device copies since the context was made. */
    synchronized OpenClBackend.Transfers transfers() {
        return new OpenClBackend.Transfers(toDevice, toHost, bytesToDevice, bytesToHost);
    }

    /**
     * Enqueues kernel {@code name} of {@code program} (a family, optionally with build options: see
     * {@link ClProgramCache#kernel}) over {@code global} work-items (each rounded up to a multiple of
     * {@code local} when given; kernels guard their range). Arguments: {@link ClStorage} or cl_mem (a buffer),
     * Integer, Float, Long (ulong), a Tensor (its buffer followed by its offset as two arguments), int[] (a launch
     * table: kept on the device by content, see the class comment) or {@link Indices} (uploaded to a temporary
     * buffer, released once the kernel has run). A launch with no work does nothing.
     */
    synchronized void launch(String program, String name, long[] global, long[] local, Object... args) {
        for (long g : global) if (g == 0) return;
        cl_kernel k = programs.kernel(program, name);
        List<cl_mem> temps = new ArrayList<>();
        try {
            int i = 0;
            for (Object a : args) {
                switch (a) {
                    case Tensor t -> {
                        clSetKernelArg(k, i++, Sizeof.cl_mem, Pointer.to(ClStorage.mem(t)));
                        clSetKernelArg(k, i++, Sizeof.cl_int, Pointer.to(new int[] {t.offset()}));
                    }
                    case ClStorage s -> clSetKernelArg(k, i++, Sizeof.cl_mem, Pointer.to(s.mem()));
                    case cl_mem m -> clSetKernelArg(k, i++, Sizeof.cl_mem, Pointer.to(m));
                    case Integer v -> clSetKernelArg(k, i++, Sizeof.cl_int, Pointer.to(new int[] {v}));
                    case Float v -> clSetKernelArg(k, i++, Sizeof.cl_float, Pointer.to(new float[] {v}));
                    case Long v -> clSetKernelArg(k, i++, Sizeof.cl_long, Pointer.to(new long[] {v}));
                    case int[] v -> clSetKernelArg(k, i++, Sizeof.cl_mem, Pointer.to(table(v)));
                    case Indices v -> {
                        cl_mem m = ints(v.values());
                        temps.add(m);
                        clSetKernelArg(k, i++, Sizeof.cl_mem, Pointer.to(m));
                    }
                    default -> throw new IllegalArgumentException("OpenCL: unsupported kernel argument " + a.getClass());
                }
            }
            long[] g = global.clone();
            if (local != null) for (int d = 0; d < g.length; d++) g[d] = (g[d] + local[d] - 1) / local[d] * local[d];
            clEnqueueNDRangeKernel(queue, k, g.length, null, g, local, 0, null,
                    profile == null ? null : profile.event(name + " (" + program + ")"));
            if (profile != null && profile.full()) finish();
        } finally {
            for (cl_mem m : temps) clReleaseMemObject(m);
        }
    }

    /** The device copy of a launch table, uploaded on first use of these contents. */
    private cl_mem table(int[] values) {
        Table key = new Table(values);
        cl_mem m = tables.get(key);
        if (m == null) tables.put(key, m = ints(values));
        return m;
    }

    /** A read-only device copy of {@code values} (one element at least, as OpenCL forbids empty buffers). */
    cl_mem ints(int[] values) {
        int[] v = values.length == 0 ? new int[1] : values;
        toDevice++;
        bytesToDevice += 4L * v.length;
        return clCreateBuffer(context, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, (long) Sizeof.cl_int * v.length,
                Pointer.to(v), null);
    }

    synchronized void fill(cl_mem mem, int offset, int n, float value) {
        if (n == 0) return;
        clEnqueueFillBuffer(queue, mem, Pointer.to(new float[] {value}), Sizeof.cl_float, 4L * offset, 4L * n,
                0, null, null);
    }

    synchronized void copy(cl_mem src, int srcOffset, cl_mem dst, int dstOffset, int n) {
        if (n == 0) return;
        clEnqueueCopyBuffer(queue, src, dst, 4L * srcOffset, 4L * dstOffset, 4L * n, 0, null, null);
    }

    synchronized void write(float[] src, int srcOffset, cl_mem dst, int offset, int n) {
        if (n == 0) return;
        toDevice++;
        bytesToDevice += 4L * n;
        clEnqueueWriteBuffer(queue, dst, CL_TRUE, 4L * offset, 4L * n, Pointer.to(src).withByteOffset(4L * srcOffset),
                0, null, null);
    }

    synchronized void read(cl_mem src, int offset, float[] dst, int dstOffset, int n) {
        if (n == 0) return;
        toHost++;
        bytesToHost += 4L * n;
        clEnqueueReadBuffer(queue, src, CL_TRUE, 4L * offset, 4L * n, Pointer.to(dst).withByteOffset(4L * dstOffset),
                0, null, null);
        if (profile != null) profile.drain(); // the blocking read ran after every earlier command
    }

    /** Waits until every enqueued command has finished (for timing). */
    synchronized void finish() {
        clFinish(queue);
        if (profile != null) profile.drain();
    }
}
