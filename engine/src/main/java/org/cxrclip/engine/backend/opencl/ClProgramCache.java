package org.cxrclip.engine.backend.opencl;

import static org.jocl.CL.*;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cxrclip.engine.io.AtomicFile;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.Map;
import org.cxrclip.engine.backend.BinaryOp;
import org.cxrclip.engine.backend.UnaryOp;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_context;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_program;

/**
 * Builds each kernel family's OpenCL C source (a resource {@code <family>.cl} next to this class, after
 * {@code common.cl}) once per context, on first use, and keeps its kernels. The op codes are generated from
 * the Java enums into a prelude, so the kernels and {@link UnaryOp}/{@link BinaryOp} cannot drift apart.
 *
 * <p>Compiled programs are also cached on disk, per device: {@code <dir>/<sha256>.bin} with the hash over the
 * platform, device and driver version, the build options and the full source, so a new driver or an edited
 * kernel never loads a stale binary. The directory is {@code ~/.cache/cxrclip/opencl} unless
 * {@code -Dcxrclip.opencl.cache=DIR} names another ({@code off} disables the cache). A cached binary that the
 * driver rejects is ignored and rebuilt from source; a cache that cannot be written only costs the next start
 * its compile time. Not thread-safe: {@link ClContext} serialises every use.
 */
final class ClProgramCache {
    private final cl_context context;
    private final cl_device_id device;
    private final String deviceKey;
    private final Path cacheDir;
    private final Map<String, cl_program> programs = new HashMap<>();
    private final Map<String, cl_kernel> kernels = new HashMap<>();
    private int builtFromSource, loadedFromCache;

    ClProgramCache(cl_context context, ClDevices.Device device, Path cacheDir) {
        this.context = context;
        this.device = device.id();
        this.deviceKey = device.platformName() + "|" + device.name() + "|" + device.version() + "|"
                + ClDevices.deviceString(device.id(), CL_DRIVER_VERSION);
        this.cacheDir = cacheDir;
    }

    /** The binary cache directory from {@code -Dcxrclip.opencl.cache}, or null when it is {@code off}. */
    static Path defaultCacheDir() {
        String p = System.getProperty("cxrclip.opencl.cache");
        if (p == null) return Path.of(System.getProperty("user.home"), ".cache", "cxrclip", "opencl");
        return p.isBlank() || p.equalsIgnoreCase("off") ? null : Path.of(p);
    }

    int builtFromSource() {
        return builtFromSource;
    }

    int loadedFromCache() {
        return loadedFromCache;
    }

    /**
     * A kernel of {@code program}: a family name, optionally followed by a space and build options that make a
     * variant of the same source (e.g. {@code "matmul -DTS=128 -DWPT=8"}); each variant is built once.
     */
    cl_kernel kernel(String program, String name) {
        String key = program + "/" + name;
        cl_kernel k = kernels.get(key);
        if (k == null) {
            cl_program p = programs.computeIfAbsent(program, this::build);
            k = clCreateKernel(p, name, null);
            kernels.put(key, k);
        }
        return k;
    }

    private cl_program build(String program) {
        int space = program.indexOf(' ');
        String family = space < 0 ? program : program.substring(0, space);
        String options = space < 0 ? "" : program.substring(space + 1);
        String source = prelude() + resource("common.cl") + resource(family + ".cl");
        Path cached = cacheDir == null ? null : cacheDir.resolve(hash(deviceKey + "\n" + options + "\n" + source) + ".bin");
        if (cached != null && Files.isRegularFile(cached)) {
            cl_program p = fromBinary(cached, options);
            if (p != null) {
                loadedFromCache++;
                return p;
            }
        }
        cl_program p = clCreateProgramWithSource(context, 1, new String[] {source}, null, null);
        try {
            clBuildProgram(p, 1, new cl_device_id[] {device}, options, null, null);
        } catch (CLException e) {
            throw new IllegalStateException("OpenCL: building " + family + ".cl (options '" + options + "') failed: "
                    + e.getMessage() + "\n" + buildLog(p), e);
        }
        builtFromSource++;
        if (cached != null) save(p, cached);
        return p;
    }

    /** The program from a cached binary, or null (and the file deleted) when the driver will not take it. */
    private cl_program fromBinary(Path file, String options) {
        cl_program p = null;
        try {
            byte[] bin = Files.readAllBytes(file);
            int[] status = new int[1];
            p = clCreateProgramWithBinary(context, 1, new cl_device_id[] {device}, new long[] {bin.length},
                    new byte[][] {bin}, status, null);
            clBuildProgram(p, 1, new cl_device_id[] {device}, options, null, null);
            return p;
        } catch (IOException | CLException e) {
            if (p != null) clReleaseProgram(p);
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // an unwritable cache: the source build below still works
            }
            return null;
        }
    }

    /**
     * Writes the program's device binary atomically ({@link AtomicFile}). A failure (a read-only home, a driver
     * without binaries) only turns the cache off for that program: it is reported once, the build goes on.
     */
    private void save(cl_program p, Path file) {
        try {
            long[] size = new long[1];
            clGetProgramInfo(p, CL_PROGRAM_BINARY_SIZES, Sizeof.size_t, Pointer.to(size), null);
            if (size[0] <= 0 || size[0] > Integer.MAX_VALUE) return;
            byte[] bin = new byte[(int) size[0]];
            Pointer[] binaries = {Pointer.to(bin)};
            clGetProgramInfo(p, CL_PROGRAM_BINARIES, Sizeof.POINTER, Pointer.to(binaries), null);
            AtomicFile.replace(file, ch -> AtomicFile.writeFully(ch, java.nio.ByteBuffer.wrap(bin)));
        } catch (IOException | CLException | UnsupportedOperationException e) {
            if (!saveFailureReported) {
                saveFailureReported = true;
                System.err.println("cxrclip: OpenCL program cache not written (" + file + ": " + e.getMessage()
                        + "); programs are compiled from source each run");
            }
        }
    }

    private volatile boolean saveFailureReported;

    static String hash(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String buildLog(cl_program p) {
        long[] size = new long[1];
        clGetProgramBuildInfo(p, device, CL_PROGRAM_BUILD_LOG, 0, null, size);
        byte[] buf = new byte[(int) size[0]];
        clGetProgramBuildInfo(p, device, CL_PROGRAM_BUILD_LOG, buf.length, Pointer.to(buf), null);
        return new String(buf, StandardCharsets.UTF_8);
    }

    static String prelude() {
        StringBuilder sb = new StringBuilder();
        for (UnaryOp op : UnaryOp.values()) sb.append("#define U_").append(op.name()).append(' ').append(op.ordinal()).append('\n');
        for (BinaryOp op : BinaryOp.values()) sb.append("#define B_").append(op.name()).append(' ').append(op.ordinal()).append('\n');
        return sb.toString();
    }

    static String resource(String name) {
        try (InputStream in = ClProgramCache.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("OpenCL kernel source " + name + " missing from the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException("reading OpenCL kernel source " + name, e);
        }
    }
}
