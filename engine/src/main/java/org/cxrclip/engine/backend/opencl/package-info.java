/**
 * The GPU backend: the engine's whole op set as OpenCL C kernels, called through JOCL.
 *
 * <p>{@link org.cxrclip.engine.backend.opencl.OpenClBackend} implements {@link org.cxrclip.engine.backend.Backend}
 * on one device: tensors live in device buffers ({@code ClStorage}, pooled by exact size and handed back when the
 * Java object is collected) and stay there across ops and training steps; the optimisers update parameters and
 * moments in place ({@code optimizer.cl}), so a CLS training step copies only the batch in and three scalars out
 * ({@code OpenClBackend.transfers()} counts every copy); CXR-CML's triplet selection runs where the distance matrix
 * lives ({@code metric.cl}), so a CML step adds only its pseudo-labels in (and the two loss terms it logs out).
 * Kernels are OpenCL C sources in this package's resources, one file per family ({@code pointwise.cl},
 * {@code reductions.cl}, {@code layout.cl}, {@code matmul.cl}, {@code norms.cl}, {@code optimizer.cl},
 * {@code metric.cl}, after {@code common.cl}), compiled on first use per context and cached as device binaries
 * under {@code ~/.cache/cxrclip/opencl} ({@code -Dcxrclip.opencl.cache}).
 * Small launch tables (shapes, strides) are uploaded once and kept. Every command goes to one in-order queue, so
 * ops need no events and only reads block. {@code -Dcxrclip.opencl.profile=true} prints device time per kernel.
 *
 * <p>Testing: PoCL runs the same kernels on the CPU; with {@code CXRCLIP_TEST_OPENCL=1} (as in CI) the engine's op
 * suite compares every op on OpenCL with the reference backend, and the train and apps modules check that
 * training and embedding on OpenCL equal the CPU. PoCL is slow (a few GFLOP/s): it checks correctness, not speed.
 * This package is loaded only when a backend named {@code opencl[:N]} is asked for.
 */
package org.cxrclip.engine.backend.opencl;
