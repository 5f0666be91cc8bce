package org.cxrclip.engine.backend.opencl;

import static org.jocl.CL.*;

import java.util.ArrayList;
import java.util.List;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * The OpenCL devices of this machine as one flat list over all platforms: {@code opencl:N} names the N-th.
 * Touching this class loads JOCL's native library, so only the OpenCL path may call it.
 */
public final class ClDevices {
    private ClDevices() {}

    /** One device and what a user needs to choose it. */
    public record Device(int index, cl_platform_id platform, cl_device_id id, String platformName, String name,
                         String version, boolean gpu, int computeUnits, long globalMemBytes) {
        public String describe() {
            return String.format(java.util.Locale.ROOT, "opencl:%d  %s | %s | %s | %s | %d compute units | %d MiB",
                    index, platformName, name, gpu ? "GPU" : "non-GPU", version, computeUnits,
                    globalMemBytes >> 20);
        }
    }

    /** All devices, or an empty list when no OpenCL platform (ICD) is installed. */
    public static synchronized List<Device> list() {
        CL.setExceptionsEnabled(true);
        int[] count = new int[1];
        try {
            clGetPlatformIDs(0, null, count);
        } catch (CLException e) {
            return List.of(); // CL_PLATFORM_NOT_FOUND_KHR: no ICD installed
        }
        cl_platform_id[] platforms = new cl_platform_id[count[0]];
        if (platforms.length == 0) return List.of();
        clGetPlatformIDs(platforms.length, platforms, null);
        List<Device> out = new ArrayList<>();
        for (cl_platform_id p : platforms) {
            int[] n = new int[1];
            try {
                clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, 0, null, n);
            } catch (CLException e) {
                continue; // a platform without devices
            }
            cl_device_id[] ids = new cl_device_id[n[0]];
            clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, ids.length, ids, null);
            for (cl_device_id d : ids) {
                long type = deviceLong(d, CL_DEVICE_TYPE);
                out.add(new Device(out.size(), p, d, platformString(p, CL_PLATFORM_NAME), deviceString(d, CL_DEVICE_NAME),
                        deviceString(d, CL_DEVICE_VERSION), (type & CL_DEVICE_TYPE_GPU) != 0,
                        (int) deviceInt(d, CL_DEVICE_MAX_COMPUTE_UNITS), deviceLong(d, CL_DEVICE_GLOBAL_MEM_SIZE)));
            }
        }
        return out;
    }

    /** {@code opencl} = the first GPU, else the first device; {@code opencl:N} = device N. */
    public static Device choose(Integer index) {
        List<Device> all = list();
        if (all.isEmpty())
            throw new IllegalStateException("no OpenCL platform found (install an ICD, e.g. Debian's pocl-opencl-icd, "
                    + "or the GPU vendor's OpenCL driver)");
        if (index == null) return all.stream().filter(Device::gpu).findFirst().orElse(all.get(0));
        if (index < 0 || index >= all.size())
            throw new IllegalArgumentException("OpenCL device " + index + " does not exist (found " + all.size()
                    + "; see 'cxrclip devices')");
        return all.get(index);
    }

    static String deviceString(cl_device_id d, int param) {
        long[] size = new long[1];
        clGetDeviceInfo(d, param, 0, null, size);
        byte[] buf = new byte[(int) size[0]];
        clGetDeviceInfo(d, param, buf.length, Pointer.to(buf), null);
        return cString(buf);
    }

    private static String platformString(cl_platform_id p, int param) {
        long[] size = new long[1];
        clGetPlatformInfo(p, param, 0, null, size);
        byte[] buf = new byte[(int) size[0]];
        clGetPlatformInfo(p, param, buf.length, Pointer.to(buf), null);
        return cString(buf);
    }

    static long deviceLong(cl_device_id d, int param) {
        long[] v = new long[1];
        clGetDeviceInfo(d, param, Sizeof.cl_long, Pointer.to(v), null);
        return v[0];
    }

    private static long deviceInt(cl_device_id d, int param) {
        int[] v = new int[1];
        clGetDeviceInfo(d, param, Sizeof.cl_int, Pointer.to(v), null);
        return v[0];
    }

    private static String cString(byte[] buf) {
        int n = 0;
        while (n < buf.length && buf[n] != 0) n++;
        return new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8).trim();
    }
}
