package org.cxrclip.engine.backend.opencl;

import static org.jocl.CL.*;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_event;

/**
 * Device time per kernel, when {@code -Dcxrclip.opencl.profile=true}: every launch gets an event, and once the
 * queue has drained (at a blocking read or finish) each event's start and end times are added to its kernel's
 * total. The table goes to stderr when the JVM exits, so one benchmark run on a GPU shows which kernels dominate.
 * Off by default: events cost a little on every launch.
 */
final class ClProfile {
    /** Pending events above this are drained by waiting for the queue (bounds the memory they hold). */
    private static final int MAX_PENDING = 20_000;

    private final List<String> names = new ArrayList<>();
    private final List<cl_event> events = new ArrayList<>();
    private final Map<String, long[]> totals = new HashMap<>(); // kernel -> {calls, nanoseconds}

    static boolean requested() {
        return Boolean.getBoolean("cxrclip.opencl.profile");
    }

    /** Prints the table at exit, with the host↔device copies from {@code transfers}. */
    ClProfile(String device, java.util.function.Supplier<OpenClBackend.Transfers> transfers) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            OpenClBackend.Transfers t = transfers.get();
            System.err.print(table(device));
            System.err.printf(Locale.ROOT, "  copies: %d to the device (%.1f MB), %d to the host (%.1f MB)%n", t.toDevice(),
                    t.bytesToDevice() / 1e6, t.toHost(), t.bytesToHost() / 1e6);
        }));
    }

    /** A new event for a launch of {@code kernel}, timed once the queue has drained. */
    cl_event event(String kernel) {
        cl_event e = new cl_event();
        names.add(kernel);
        events.add(e);
        return e;
    }

    boolean full() {
        return events.size() >= MAX_PENDING;
    }

    /** Adds the finished events' times (the queue has been waited for) and releases them. */
    synchronized void drain() {
        long[] start = new long[1], end = new long[1];
        for (int i = 0; i < events.size(); i++) {
            cl_event e = events.get(i);
            clGetEventProfilingInfo(e, CL_PROFILING_COMMAND_START, Sizeof.cl_ulong, Pointer.to(start), null);
            clGetEventProfilingInfo(e, CL_PROFILING_COMMAND_END, Sizeof.cl_ulong, Pointer.to(end), null);
            long[] t = totals.computeIfAbsent(names.get(i), k -> new long[2]);
            t[0]++;
            t[1] += end[0] - start[0];
            clReleaseEvent(e);
        }
        events.clear();
        names.clear();
    }

    synchronized String table(String device) {
        long all = totals.values().stream().mapToLong(t -> t[1]).sum();
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "opencl profile (%s): %.1f ms in kernels%n", device, all / 1e6));
        sb.append(String.format(Locale.ROOT, "  %-44s %8s %12s %7s%n", "kernel (program variant)", "calls", "total ms", "share"));
        totals.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1])).forEach(e ->
                sb.append(String.format(Locale.ROOT, "  %-44s %8d %12.2f %6.1f%%%n", e.getKey(), e.getValue()[0],
                        e.getValue()[1] / 1e6, all == 0 ? 0 : 100.0 * e.getValue()[1] / all)));
        return sb.toString();
    }
}
