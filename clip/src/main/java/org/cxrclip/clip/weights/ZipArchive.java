package org.cxrclip.clip.weights;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A minimal read-only ZIP reader over a memory-mapped file, for PyTorch checkpoints: reads the central directory
 * (ZIP64 records when present), hands out stored entries as slices of the mapping (PyTorch stores tensors
 * uncompressed and 64-byte aligned, so nothing is copied) and inflates deflated entries into the heap. Every
 * offset and size read from the file is checked against the file before use, and an inflated size is bounded by
 * what deflate can achieve from the compressed bytes, so a crafted archive cannot demand a huge allocation.
 */
final class ZipArchive {
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int EOCD_SIG = 0x06054b50;
    private static final int ZIP64_LOCATOR_SIG = 0x07064b50;
    private static final int ZIP64_EOCD_SIG = 0x06064b50;
    private static final int CENTRAL_SIG = 0x02014b50;
    private static final int LOCAL_SIG = 0x04034b50;
    /** Deflate cannot expand data by more than about 1032:1. */
    private static final long MAX_DEFLATE_RATIO = 1032;

    record Entry(String name, int method, long compressedSize, long size, long localHeaderOffset) {
    }

    private final String where;
    private final MemorySegment file;
    private final Map<String, Entry> entries = new LinkedHashMap<>();

    private ZipArchive(String where, MemorySegment file) {
        this.where = where;
        this.file = file;
    }

    /** True when the segment starts with a ZIP local-file or end-of-directory signature. */
    static boolean looksLikeZip(MemorySegment seg) {
        return seg.byteSize() >= 4 && (seg.get(U32, 0) == LOCAL_SIG || seg.get(U32, 0) == EOCD_SIG);
    }

    static ZipArchive open(String where, MemorySegment file) {
        ZipArchive z = new ZipArchive(where, file);
        z.readDirectory();
        return z;
    }

    List<String> names() {
        return new ArrayList<>(entries.keySet());
    }

    Entry entry(String name) {
        return entries.get(name);
    }

    /** The entry's uncompressed bytes: a slice of the mapping when stored, a heap copy when deflated. */
    MemorySegment data(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            throw new WeightFileException(where, "has no archive entry '" + name + "'");
        }
        long local = e.localHeaderOffset;
        need(local, 30, "local header of '" + name + "'");
        if (file.get(U32, local) != LOCAL_SIG) {
            throw new WeightFileException(where, "entry '" + name + "' has a bad local header signature");
        }
        long start = local + 30 + u16(local + 26) + u16(local + 28);
        need(start, e.compressedSize, "data of '" + name + "'");
        MemorySegment raw = file.asSlice(start, e.compressedSize);
        return switch (e.method) {
            case 0 -> {
                if (e.compressedSize != e.size) {
                    throw new WeightFileException(where, "stored entry '" + name + "' has differing sizes");
                }
                yield raw;
            }
            case 8 -> MemorySegment.ofArray(inflate(e, raw));
            default -> throw new WeightFileException(where, "entry '" + name + "' uses unsupported compression method "
                    + e.method);
        };
    }

    private byte[] inflate(Entry e, MemorySegment raw) {
        if (e.size > WeightTensor.MAX_ELEMENTS || e.size > e.compressedSize * MAX_DEFLATE_RATIO + 1024) {
            throw new WeightFileException(where, "deflated entry '" + e.name + "' claims an implausible size " + e.size);
        }
        byte[] in = raw.toArray(ValueLayout.JAVA_BYTE);
        byte[] out = new byte[(int) e.size];
        Inflater inf = new Inflater(true);
        try {
            inf.setInput(in);
            int n = 0;
            while (n < out.length && !inf.finished()) {
                int got = inf.inflate(out, n, out.length - n);
                if (got == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    break;
                }
                n += got;
            }
            if (n != out.length) {
                throw new WeightFileException(where, "deflated entry '" + e.name + "' inflates to " + n + " bytes, expected "
                        + out.length);
            }
            return out;
        } catch (DataFormatException ex) {
            throw new WeightFileException(where, "deflated entry '" + e.name + "' is corrupt: " + ex.getMessage());
        } finally {
            inf.end();
        }
    }

    private void readDirectory() {
        long size = file.byteSize();
        long eocd = -1;
        for (long p = size - 22; p >= Math.max(0, size - 22 - 65535); p--) {
            if (file.get(U32, p) == EOCD_SIG) {
                eocd = p;
                break;
            }
        }
        if (eocd < 0) {
            throw new WeightFileException(where, "is not a complete ZIP archive (no end-of-directory record; truncated?)");
        }
        long count = u16(eocd + 10);
        long cdSize = u32(eocd + 12);
        long cdOffset = u32(eocd + 16);
        if (eocd >= 20 && file.get(U32, eocd - 20) == ZIP64_LOCATOR_SIG) {
            long z64 = file.get(U64, eocd - 20 + 8);
            need(z64, 56, "ZIP64 end-of-directory record");
            if (file.get(U32, z64) != ZIP64_EOCD_SIG) {
                throw new WeightFileException(where, "has a bad ZIP64 end-of-directory record");
            }
            count = file.get(U64, z64 + 32);
            cdSize = file.get(U64, z64 + 40);
            cdOffset = file.get(U64, z64 + 48);
        }
        need(cdOffset, cdSize, "central directory");
        if (count < 0 || count > cdSize / 46) {
            throw new WeightFileException(where, "claims " + count + " entries in a " + cdSize + "-byte directory");
        }
        long p = cdOffset;
        for (long i = 0; i < count; i++) {
            need(p, 46, "central directory entry " + i);
            if (file.get(U32, p) != CENTRAL_SIG) {
                throw new WeightFileException(where, "central directory entry " + i + " has a bad signature");
            }
            int flags = u16(p + 8);
            int method = u16(p + 10);
            long csize = u32(p + 20);
            long usize = u32(p + 24);
            int nameLen = u16(p + 28);
            int extraLen = u16(p + 30);
            int commentLen = u16(p + 32);
            long local = u32(p + 42);
            need(p + 46, (long) nameLen + extraLen + commentLen, "central directory entry " + i);
            String name = new String(file.asSlice(p + 46, nameLen).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
            // ZIP64 extra field: the 64-bit values present are exactly those whose 32-bit field is all ones.
            long x = p + 46 + nameLen;
            long xEnd = x + extraLen;
            while (x + 4 <= xEnd) {
                int id = u16(x);
                int len = u16(x + 2);
                if (x + 4 + len > xEnd) {
                    break;
                }
                if (id == 1) {
                    long q = x + 4;
                    if (usize == 0xffffffffL && q + 8 <= x + 4 + len) {
                        usize = file.get(U64, q);
                        q += 8;
                    }
                    if (csize == 0xffffffffL && q + 8 <= x + 4 + len) {
                        csize = file.get(U64, q);
                        q += 8;
                    }
                    if (local == 0xffffffffL && q + 8 <= x + 4 + len) {
                        local = file.get(U64, q);
                    }
                }
                x += 4 + len;
            }
            if ((flags & 1) != 0) {
                throw new WeightFileException(where, "entry '" + name + "' is encrypted");
            }
            if (csize < 0 || usize < 0 || local < 0) {
                throw new WeightFileException(where, "entry '" + name + "' has sizes beyond 2^63");
            }
            entries.put(name, new Entry(name, method, csize, usize, local));
            p += 46 + nameLen + extraLen + commentLen;
        }
    }

    private void need(long offset, long length, String what) {
        if (offset < 0 || length < 0 || offset > file.byteSize() || length > file.byteSize() - offset) {
            throw new WeightFileException(where, what + " at offset " + offset + " (+" + length
                    + " bytes) lies outside the " + file.byteSize() + "-byte file (truncated?)");
        }
    }

    private int u16(long at) {
        need(at, 2, "field");
        return file.get(U16, at) & 0xffff;
    }

    private long u32(long at) {
        need(at, 4, "field");
        return file.get(U32, at) & 0xffffffffL;
    }
}
