package org.cxrclip.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A command that outgrows the heap ends with one line saying so and how to give the JVM more, exit code 1. */
class OutOfMemoryTest {
    @Test
    void runningOutOfHeapIsOneLineNamingTheHeapAndTheSetting() throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        // ViT-B/32's 151 M parameters alone need ~600 MB: a 48 MB heap runs out while the model is built.
        Process p = new ProcessBuilder(List.of(java, "-Xmx48m", "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "bench", "train-step", "--model", "ViT-B/32", "--batch", "2", "--steps", "1"))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the JVM did not end");
        assertEquals(1, p.exitValue(), err);
        assertTrue(err.contains("cxrclip: out of memory (Java heap space) with a Java heap of at most ")
                && err.contains("CXRCLIP_JAVA_OPTS=-Xmx16g"), err);
        assertFalse(err.contains("\tat "), err);
    }
}
