package org.cxrclip.engine.backend;

import org.cxrclip.engine.backend.cpu.CpuBackend;
import org.cxrclip.engine.backend.reference.ReferenceBackend;

/**
 * Chooses the default backend once, from {@code -Dcxrclip.backend=cpu|reference} (default {@code cpu}).
 * Tensors record their backend, so tests and benchmarks can still build tensors on a named backend.
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

    /** A backend by name: {@code reference} or {@code cpu}. */
    public static Backend byName(String name) {
        return switch (name.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "reference", "ref" -> reference();
            case "cpu" -> cpu();
            default -> throw new IllegalArgumentException("unknown backend '" + name + "' (known: cpu, reference)");
        };
    }

    /** The backend new tensors use unless one is named. */
    public static Backend defaultBackend() {
        Backend b = defaultBackend;
        if (b == null) {
            synchronized (Backends.class) {
                b = defaultBackend;
                if (b == null) defaultBackend = b = byName(System.getProperty("cxrclip.backend", "cpu"));
            }
        }
        return b;
    }

    /** Replaces the default (for a command's {@code --device} flag, read once at start-up). */
    public static void setDefault(Backend backend) {
        defaultBackend = java.util.Objects.requireNonNull(backend);
    }
}
