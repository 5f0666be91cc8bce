package org.cxrclip.apps;

import java.util.List;
import java.util.concurrent.Callable;
import org.cxrclip.engine.backend.opencl.ClDevices;
import picocli.CommandLine.Command;

/**
 * {@code cxrclip devices}: the compute devices a command can run on. The CPU is always there; OpenCL devices
 * are listed one per line as {@code opencl:N  platform | device | type | version | units | memory}, N being
 * what {@code --device opencl:N} takes.
 */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = "List the compute devices: cpu and every OpenCL platform's devices (for --device).")
final class DevicesCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.println("cpu  " + Runtime.getRuntime().availableProcessors() + " cores (Java Vector API)");
        List<ClDevices.Device> devices;
        try {
            devices = ClDevices.list();
        } catch (LinkageError e) { // JOCL has no native library for this OS/architecture
            System.out.println("opencl: unavailable (" + e.getMessage() + ")");
            return 0;
        }
        if (devices.isEmpty())
            System.out.println("opencl: no platform found (install an OpenCL driver, e.g. the GPU vendor's or "
                    + "Debian's pocl-opencl-icd)");
        for (ClDevices.Device d : devices) System.out.println(d.describe());
        return 0;
    }
}
