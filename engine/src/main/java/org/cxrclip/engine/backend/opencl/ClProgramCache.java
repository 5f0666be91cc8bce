package org.cxrclip.engine.backend.opencl;

import static org.jocl.CL.*;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.cxrclip.engine.backend.BinaryOp;
import org.cxrclip.engine.backend.UnaryOp;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.cl_context;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_program;

/**
 * Builds each kernel family's OpenCL C source (a resource {@code <family>.cl} next to this class, after
 * {@code common.cl}) once per context, on first use, and keeps its kernels. The op codes are generated from
 * the Java enums into a prelude, so the kernels and {@link UnaryOp}/{@link BinaryOp} cannot drift apart.
 * Not thread-safe: {@link ClContext} serialises every use.
 */
final class ClProgramCache {
    private final cl_context context;
    private final cl_device_id device;
    private final Map<String, cl_program> programs = new HashMap<>();
    private final Map<String, cl_kernel> kernels = new HashMap<>();

    ClProgramCache(cl_context context, cl_device_id device) {
        this.context = context;
        this.device = device;
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
        cl_program p = clCreateProgramWithSource(context, 1, new String[] {source}, null, null);
        try {
            clBuildProgram(p, 1, new cl_device_id[] {device}, options, null, null);
        } catch (CLException e) {
            throw new IllegalStateException("OpenCL: building " + family + ".cl (options '" + options + "') failed: "
                    + e.getMessage() + "\n" + buildLog(p), e);
        }
        return p;
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
