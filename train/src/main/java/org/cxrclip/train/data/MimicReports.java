package org.cxrclip.train.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/** MIMIC-CXR free-text reports: {@code root/files/p{first two digits}/p{subject}/s{study}.txt}. */
final class MimicReports {
    private MimicReports() {}

    static Path path(Path root, String subjectId, String studyId) {
        String prefix = subjectId.length() >= 2 ? subjectId.substring(0, 2) : subjectId;
        return root.resolve("files").resolve("p" + prefix).resolve("p" + subjectId).resolve("s" + studyId + ".txt");
    }

    /** The report reduced to {@code section}, or null when the file does not exist (or the ids cannot name one). */
    static String read(Path root, String subjectId, String studyId, ReportText.Section section) {
        try {
            return ReportText.section(Files.readString(path(root, subjectId, studyId), StandardCharsets.UTF_8), section);
        } catch (IOException | InvalidPathException e) {
            return null;  // missing or unreadable: the image is kept without text and the reader counts it
        }
    }
}
