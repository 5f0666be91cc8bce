package org.cxrclip.clip.weights;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a safetensors file: an 8-byte little-endian header length N, N bytes of JSON naming each tensor's dtype,
 * shape and byte range, then the raw little-endian tensor bytes. The file is memory-mapped; tensors are slices of
 * the mapping and decode only when asked. Every header claim is checked against the file before it is used: the
 * header length against the file size (and a 100 MB cap, as the reference implementation has), each byte range
 * against the data area, byte counts against dtype × shape, and ranges against each other (no overlaps).
 */
public final class SafetensorsReader {
    /** The reference implementation refuses headers above 100 MB; so do we. */
    static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;
    static final String METADATA_KEY = "__metadata__";

    private SafetensorsReader() {
    }

    /** Reads all tensors, in the order of their bytes in the file. */
    public static StateDict read(Path file) throws IOException {
        return parse(file.toString(), MappedFile.map(file)).tensors;
    }

    /** Reads the tensors of safetensors bytes already in memory or mapped; {@code where} names them in errors. */
    static StateDict read(String where, MemorySegment file) {
        return parse(where, file).tensors;
    }

    /** The {@code __metadata__} string map (empty when absent). */
    public static Map<String, String> metadata(Path file) throws IOException {
        return parse(file.toString(), MappedFile.map(file)).metadata;
    }

    private record Parsed(StateDict tensors, Map<String, String> metadata) {
    }

    private record Entry(String key, WeightDType dtype, int[] shape, long begin, long end) {
    }

    private static Parsed parse(String where, MemorySegment seg) {
        long size = seg.byteSize();
        if (size < 8) {
            throw new WeightFileException(where, "is truncated: " + size + " bytes, shorter than the 8-byte header length");
        }
        long n = seg.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
        if (n < 2 || n > size - 8) {
            throw new WeightFileException(where, "header claims " + Long.toUnsignedString(n) + " bytes but the file has only "
                    + (size - 8) + " bytes after the length (truncated or not a safetensors file)");
        }
        if (n > MAX_HEADER_BYTES) {
            throw new WeightFileException(where, "header of " + n + " bytes exceeds the 100 MB limit");
        }
        String json;
        try {
            ByteBuffer hb = seg.asSlice(8, n).asByteBuffer();
            json = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(hb).toString();
        } catch (CharacterCodingException e) {
            throw new WeightFileException(where, "header is not valid UTF-8");
        }
        if (!(HeaderJson.parse(json, where) instanceof Map<?, ?> header)) {
            throw new WeightFileException(where, "header is not a JSON object");
        }
        long dataStart = 8 + n;
        long dataSize = size - dataStart;
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<?, ?> e : header.entrySet()) {
            String key = (String) e.getKey();
            if (key.equals(METADATA_KEY)) {
                readMetadata(where, e.getValue(), metadata);
                continue;
            }
            entries.add(entry(where, key, e.getValue(), dataSize));
        }
        entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        Entry prev = null;
        for (Entry en : entries) {
            if (prev != null && en.begin < prev.end && en.end > en.begin) {
                throw new WeightFileException(where, en.key, "has bytes [" + en.begin + ", " + en.end
                        + ") overlapping key '" + prev.key + "' [" + prev.begin + ", " + prev.end + ")");
            }
            if (en.end > en.begin) {
                prev = en;
            }
        }
        StateDict sd = new StateDict(where);
        for (Entry en : entries) {
            MemorySegment slice = seg.asSlice(dataStart + en.begin, en.end - en.begin);
            sd.put(WeightTensor.mapped(where, en.key, en.dtype, en.shape, slice, ByteOrder.LITTLE_ENDIAN, 0,
                    MappedFile.contiguousStrides(en.shape)));
        }
        return new Parsed(sd, metadata);
    }

    private static void readMetadata(String where, Object v, Map<String, String> out) {
        if (!(v instanceof Map<?, ?> m)) {
            throw new WeightFileException(where, METADATA_KEY + " is not a JSON object");
        }
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw new WeightFileException(where, METADATA_KEY + " value for '" + e.getKey() + "' is not a string");
            }
            out.put((String) e.getKey(), s);
        }
    }

    private static Entry entry(String where, String key, Object v, long dataSize) {
        if (!(v instanceof Map<?, ?> m)) {
            throw new WeightFileException(where, key, "is not described by a JSON object");
        }
        if (!(m.get("dtype") instanceof String dtypeName)) {
            throw new WeightFileException(where, key, "has no string 'dtype'");
        }
        WeightDType dtype = WeightDType.fromSafetensors(dtypeName);
        if (dtype == null) {
            throw new WeightFileException(where, key, "has unsupported dtype " + dtypeName);
        }
        if (!(m.get("shape") instanceof List<?> shapeList)) {
            throw new WeightFileException(where, key, "has no 'shape' array");
        }
        int[] shape = new int[shapeList.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!(shapeList.get(i) instanceof Long d) || d < 0 || d > Integer.MAX_VALUE) {
                throw new WeightFileException(where, key, "has invalid shape " + shapeList);
            }
            shape[i] = (int) (long) d;
        }
        if (!(m.get("data_offsets") instanceof List<?> offs) || offs.size() != 2
                || !(offs.get(0) instanceof Long begin) || !(offs.get(1) instanceof Long end)) {
            throw new WeightFileException(where, key, "has no 'data_offsets' pair of integers");
        }
        if (begin < 0 || end < begin) {
            throw new WeightFileException(where, key, "has data_offsets [" + begin + ", " + end + "] out of order");
        }
        if (end > dataSize) {
            throw new WeightFileException(where, key, "has data_offsets [" + begin + ", " + end
                    + "] past the end of the data (" + dataSize + " bytes; file truncated?)");
        }
        long numel = WeightTensor.numel(where, key, shape);
        if (numel > Long.MAX_VALUE / dtype.bytes() || numel * dtype.bytes() != end - begin) {
            throw new WeightFileException(where, key, "has " + (end - begin) + " bytes but " + dtype + " " +
                    java.util.Arrays.toString(shape) + " needs " + numel + " x " + dtype.bytes());
        }
        return new Entry(key, dtype, shape, begin, end);
    }
}
