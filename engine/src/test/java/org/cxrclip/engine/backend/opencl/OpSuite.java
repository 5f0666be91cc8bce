package org.cxrclip.engine.backend.opencl;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import java.io.PrintWriter;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs the engine's whole test suite (every op on every fast backend, OpenCL included) from a plain
 * {@code java} command, for a GPU machine that has a JDK but no Maven or network:
 * <pre>
 * java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Dcxrclip.test.opencl=true \
 *   -cp 'engine/target/classes:engine/target/test-classes:engine/target/deps/*' \
 *   org.cxrclip.engine.backend.opencl.OpSuite [package]
 * </pre>
 * {@code -Dcxrclip.test.opencl.device=opencl:N} picks the device. Exit code 1 when any test fails.
 */
public final class OpSuite {
    private OpSuite() {}

    public static void main(String[] args) {
        if (System.getProperty("cxrclip.test.opencl") == null) System.setProperty("cxrclip.test.opencl", "true");
        String pkg = args.length > 0 ? args[0] : "org.cxrclip.engine";
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(selectPackage(pkg)).build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        long start = System.nanoTime();
        launcher.execute(request, listener);
        TestExecutionSummary s = listener.getSummary();
        PrintWriter out = new PrintWriter(System.out, true);
        s.printFailuresTo(out, 20);
        s.printTo(out);
        out.printf("op suite on %s: %d tests, %d failed, %d skipped, %.1f s%n",
                System.getProperty("cxrclip.test.opencl.device", "opencl"), s.getTestsFoundCount(),
                s.getTotalFailureCount(), s.getTestsSkippedCount(), (System.nanoTime() - start) / 1e9);
        System.exit(s.getTotalFailureCount() == 0 && s.getTestsFoundCount() > 0 ? 0 : 1);
    }
}
