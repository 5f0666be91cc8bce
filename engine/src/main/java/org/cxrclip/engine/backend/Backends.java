package org.cxrclip.engine.backend;

import org.cxrclip.engine.backend.cpu.CpuBackend;
import org.cxrclip.engine.backend.reference.ReferenceBackend;

/**
 * Chooses the default backend once, from {@code -Dcxrclip.device=cpu|reference|opencl[:N]} (or the older
 * {@code -Dcxrclip.backend}; default {@code cpu}). Tensors record their backend, so tests and benchmarks can
 * still build tensors on a named backend. The OpenCL classes (and JOCL's native library) are loaded only when
 * an {@code opencl} name is asked for: the CPU path never touches them.
 */
public final class Backends {
    private static volatile Backend defaultBackend;

    private Backends() {}

    public static Backend reference() {
        return ReferenceBackend.INSTANCE;
    }

    public static Backend cpu() {
        return CpuBackend.INSTANCE;
    }

    /**
     * A backend by name: {@code reference}, {@code cpu}, {@code opencl} (the first GPU, else the first OpenCL
     * device) or {@code opencl:N} (device N of {@code cxrclip devices}).
     */
    public static Backend byName(String name) {
        String n = name.trim().toLowerCase(java.util.Locale.ROOT);
        if (n.equals("opencl")) return openCl(null);
        if (n.startsWith("opencl:")) {
            String index = n.substring("opencl:".length());
            if (!index.matches("[0-9]{1,4}"))
                throw new IllegalArgumentException("unknown backend '" + name + "': expected opencl:N with N a device number");
            return openCl(Integer.parseInt(index));
        }
        return switch (n) {
            case "reference", "ref" -> reference();
            case "cpu" -> cpu();
            default -> throw new IllegalArgumentException("unknown backend '" + name
                    + "' (known: cpu, reference, opencl, opencl:N)");
        };
    }

    private static Backend openCl(Integer index) {
        return org.cxrclip.engine.backend.opencl.OpenClBackend.open(index);
    }

    /** The backend new tensors use unless one is named. */
    public static Backend defaultBackend() {
        Backend b = defaultBackend;
        if (b == null) {
            synchronized (Backends.class) {
                b = defaultBackend;
                if (b == null)
                    defaultBackend = b = byName(System.getProperty("cxrclip.device", System.getProperty("cxrclip.backend", "cpu")));
            }
        }
        return b;
    }

    /** Replaces the default (for a command's {@code --device} flag, read once at start-up). */
    public static void setDefault(Backend backend) {
        defaultBackend = java.util.Objects.requireNonNull(backend);
    }
}
