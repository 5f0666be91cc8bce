package org.cxrclip.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cxrclip.engine.backend.Backends;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code devices} and the global {@code --device} option: the CPU is always listed, a bad device is a one-line
 * error naming it, and (when the OpenCL tests are requested, as in CI) bench gemm runs on OpenCL with the CPU's
 * line format and a correct result, and the default backend is restored afterwards.
 */
class DevicesCommandTest {
    private static boolean openClRequested() {
        return Boolean.getBoolean("cxrclip.test.opencl") || "1".equals(System.getenv("CXRCLIP_TEST_OPENCL"));
    }

    @Test
    void listsTheCpuAndAnyOpenClDevice() {
        CommandRun r = CommandRun.of("devices");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("cpu "), r.out());
        if (openClRequested()) assertTrue(r.out().contains("\nopencl:0 "), r.out());
    }

    @Test
    void unknownDeviceIsOneLineNamingIt() {
        CommandRun r = CommandRun.of("bench", "gemm", "--device", "tpu", "--size", "8");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("tpu") && r.err().strip().lines().count() == 1, r.err());
        assertEquals("cpu", Backends.defaultBackend().name());
    }

    @Test
    void benchGemmOnOpenClPrintsTheSameLine() {
        Assumptions.assumeTrue(openClRequested(), "OpenCL tests not requested (CXRCLIP_TEST_OPENCL=1)");
        CommandRun r = CommandRun.of("bench", "gemm", "--device", "opencl", "--m", "70", "--n", "33", "--k", "65",
                "--trans-b", "--repeat", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.lastLine().matches("gemm m=70 n=33 k=65 threads=\\d+ gflops=[0-9.]+ max_rel_err=[0-9.e+-]+"),
                r.lastLine());
        double err = Double.parseDouble(r.lastLine().replaceAll(".*max_rel_err=", ""));
        assertTrue(err < 1e-4, r.lastLine());
        assertEquals("cpu", Backends.defaultBackend().name(), "--device must not leak into later commands");
    }
}
