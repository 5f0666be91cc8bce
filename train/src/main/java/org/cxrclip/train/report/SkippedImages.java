package org.cxrclip.train.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The unreadable images of a run, each once with the first reason seen, in the order met: the run folder's
 * skipped.txt, one {@code path<TAB>reason} line per image (a newline in a reason becomes a space). Read back on
 * resume so a run continued from a checkpoint keeps the images its first part skipped.
 */
public final class SkippedImages {
    private final Map<Path, String> reasons = new LinkedHashMap<>();

    /** Notes an unreadable image; an image already listed keeps its first reason. */
    public void note(Path image, String reason) {
        reasons.putIfAbsent(image, reason == null ? "" : reason.replace('\n', ' ').replace('\t', ' '));
    }

    public int size() {
        return reasons.size();
    }

    /** Image → reason, in the order noted (read-only view). */
    public Map<Path, String> asMap() {
        return Collections.unmodifiableMap(reasons);
    }

    /** Replaces {@code dir}/skipped.txt atomically (an empty file when nothing was skipped). */
    public void write(Path dir) throws IOException {
        StringBuilder b = new StringBuilder();
        for (var e : reasons.entrySet()) b.append(e.getKey()).append('\t').append(e.getValue()).append('\n');
        AtomicFiles.writeString(dir.resolve(RunReport.SKIPPED), b.toString());
    }

    /** Adds the images listed in {@code dir}/skipped.txt, if it exists; a line without a tab is an image without a reason. */
    public SkippedImages readFrom(Path dir) throws IOException {
        Path file = dir.resolve(RunReport.SKIPPED);
        if (!Files.isRegularFile(file)) return this;
        int lineNo = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            lineNo++;
            if (line.isEmpty()) continue;
            int tab = line.indexOf('\t');
            try {
                note(Path.of(tab < 0 ? line : line.substring(0, tab)), tab < 0 ? "" : line.substring(tab + 1));
            } catch (java.nio.file.InvalidPathException e) {
                throw new IOException(file + " line " + lineNo + ": not a path: " + e.getMessage(), e);
            }
        }
        return this;
    }
}
