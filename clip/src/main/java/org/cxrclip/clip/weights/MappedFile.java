package org.cxrclip.clip.weights;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Maps a whole weight file read-only as one {@link MemorySegment}. Segments have 64-bit offsets, so files over 2 GB
 * need no per-region remapping; the automatic arena unmaps the file once no tensor refers to it any more.
 */
final class MappedFile {
    private MappedFile() {
    }

    static MemorySegment map(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size == 0) {
                throw new WeightFileException(file.toString(), "is empty");
            }
            return ch.map(FileChannel.MapMode.READ_ONLY, 0, size, Arena.ofAuto());
        }
    }

    /** Row-major strides (in elements) of a contiguous tensor. */
    static long[] contiguousStrides(int[] shape) {
        long[] s = new long[shape.length];
        long acc = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            s[d] = acc;
            acc *= Math.max(shape[d], 1);
        }
        return s;
    }
}
