package org.cxrclip.engine.backend.opencl;

import java.util.HashMap;
import java.util.Map;
import org.cxrclip.engine.backend.Backend;
import org.cxrclip.engine.backend.KernelBackend;
import org.cxrclip.engine.backend.MetricKernels;
import org.cxrclip.engine.backend.OptimizerKernels;
import org.cxrclip.engine.backend.Storage;

/**
 * The engine's op set as OpenCL kernels on one device. Tensors live in device memory ({@link ClStorage}) and
 * stay there across ops: only {@link #read} (e.g. {@code Tensor.toArray}) brings data back. One backend per
 * device, created on first use; its kernels are compiled per family on first call and cached.
 */
public final class OpenClBackend extends KernelBackend {
    private static final Map<Integer, OpenClBackend> OPEN = new HashMap<>();

    private final ClContext cl;
    private final String name;
    private final ClOptimizer optimizer;
    private final ClMetric metric;

    private OpenClBackend(ClDevices.Device device, ClContext cl) {
        super(self -> {
            ClMatmul matmul = new ClMatmul(cl);
            return new Kernels(new ClPointwise(cl), new ClReductions(cl), new ClLayout(cl), matmul, new ClNorms(cl),
                    new ClAttention(cl, (OpenClBackend) self, matmul));
        });
        this.cl = cl;
        this.name = "opencl:" + device.index();
        this.optimizer = new ClOptimizer(cl);
        this.metric = new ClMetric(cl);
    }

    /**
     * The backend on device {@code index} (see {@link ClDevices#list}), or on the first GPU (else the first
     * device) when {@code index} is null. Fails with a clear message when no OpenCL platform is installed.
     */
    public static synchronized Backend open(Integer index) {
        ClDevices.Device d = ClDevices.choose(index);
        return OPEN.computeIfAbsent(d.index(), i -> new OpenClBackend(d, new ClContext(d)));
    }

    /** The device this backend runs on, described in one line. */
    public String deviceDescription() {
        return cl.device.describe();
    }

    /** Host↔device copies so far (count and bytes each way); subtract two readings to measure a span of work. */
    public Transfers transfers() {
        return cl.transfers();
    }

    /** Device buffers now: in use by live tensors, kept idle for reuse, and created/released so far. */
    public BufferStats buffers() {
        ClBufferPool.Stats s = cl.pool.stats();
        return new BufferStats(s.liveBuffers(), s.liveBytes(), s.idleBuffers(), s.idleBytes(), s.created(), s.released());
    }

    /** Releases the idle pooled buffers to the driver (live tensors keep theirs). */
    public void trimPool() {
        cl.pool.trim();
    }

    /** Programs built from source and loaded from the binary cache in this process (see {@link ClProgramCache}). */
    public ProgramStats programs() {
        return new ProgramStats(cl.programs.builtFromSource(), cl.programs.loadedFromCache());
    }

    /** Host↔device copies: {@code toDevice}/{@code toHost} count the copies, the bytes fields their sizes. */
    public record Transfers(long toDevice, long toHost, long bytesToDevice, long bytesToHost) {
        public Transfers minus(Transfers before) {
            return new Transfers(toDevice - before.toDevice, toHost - before.toHost, bytesToDevice - before.bytesToDevice,
                    bytesToHost - before.bytesToHost);
        }

        public long count() {
            return toDevice + toHost;
        }
    }

    /** The buffer pool's state: live = held by reachable tensors; idle = kept for reuse. */
    public record BufferStats(int live, long liveBytes, int idle, long idleBytes, long created, long released) {}

    /** How this process got its OpenCL programs. */
    public record ProgramStats(int builtFromSource, int loadedFromCache) {}

    @Override
    public OptimizerKernels optimizer() {
        return optimizer;
    }

    @Override
    public MetricKernels metric() {
        return metric;
    }

    /** Blocks until every enqueued kernel has finished (benchmarks time with this). */
    public void finish() {
        cl.finish();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Storage allocate(int numel) {
        ClStorage s = new ClStorage(this, cl.pool, cl.pool.acquire(numel), numel);
        cl.fill(s.mem(), 0, numel, 0f);
        return s;
    }

    @Override
    public void write(float[] src, int srcOffset, Storage dst, int offset, int n) {
        cl.write(src, srcOffset, ((ClStorage) dst).mem(), offset, n);
    }

    @Override
    public void read(Storage src, int offset, float[] dst, int dstOffset, int n) {
        cl.read(((ClStorage) src).mem(), offset, dst, dstOffset, n);
    }
}
