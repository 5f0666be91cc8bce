package org.cxrclip.clip.weights;

import org.cxrclip.engine.io.AtomicFile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes a state dict as float32 safetensors, tensors in the state dict's order, names as given (callers pass
 * OpenAI names). The header is padded with spaces so the data starts on an 8-byte boundary, as the reference
 * writer does. One tensor is decoded at a time, so writing needs heap for the largest tensor only. The file is
 * replaced through {@link AtomicFile} (temp + fsync + rename + folder fsync): an existing file is never left
 * half-written.
 */
public final class SafetensorsWriter {
    private static final int CHUNK_FLOATS = 1 << 18;

    private SafetensorsWriter() {
    }

    /** Writes {@code tensors} (as F32) with optional {@code __metadata__} strings (may be empty). */
    public static void write(Path file, StateDict tensors, Map<String, String> metadata) throws IOException {
        byte[] header = header(tensors, metadata);
        AtomicFile.replace(file, ch -> {
            AtomicFile.writeFully(ch, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).flip());
            AtomicFile.writeFully(ch, ByteBuffer.wrap(header));
            ByteBuffer buf = ByteBuffer.allocate(CHUNK_FLOATS * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (WeightTensor t : tensors.tensors()) {
                float[] v = t.toFloats();
                for (int at = 0; at < v.length; at += CHUNK_FLOATS) {
                    int n = Math.min(CHUNK_FLOATS, v.length - at);
                    buf.clear();
                    buf.asFloatBuffer().put(v, at, n);
                    buf.limit(n * 4);
                    AtomicFile.writeFully(ch, buf);
                }
            }
        });
    }

    /** The JSON header bytes, space-padded so that 8 + length is a multiple of 8. */
    static byte[] header(StateDict tensors, Map<String, String> metadata) {
        StringBuilder sb = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            sb.append(HeaderJson.quote(SafetensorsReader.METADATA_KEY)).append(":{");
            boolean first = true;
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                sb.append(first ? "" : ",").append(HeaderJson.quote(e.getKey())).append(':')
                        .append(HeaderJson.quote(e.getValue()));
                first = false;
            }
            sb.append('}');
        }
        long offset = 0;
        for (WeightTensor t : tensors.tensors()) {
            if (t.name().equals(SafetensorsReader.METADATA_KEY)) {
                throw new WeightFileException(tensors.source(), t.name(), "is reserved in safetensors");
            }
            long end = offset + 4 * t.numel();
            sb.append(sb.length() > 1 ? "," : "").append(HeaderJson.quote(t.name())).append(":{\"dtype\":\"F32\",\"shape\":[");
            int[] shape = t.shape();
            for (int i = 0; i < shape.length; i++) {
                sb.append(i > 0 ? "," : "").append(shape[i]);
            }
            sb.append("],\"data_offsets\":[").append(offset).append(',').append(end).append("]}");
            offset = end;
        }
        sb.append('}');
        byte[] json = sb.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        byte[] out = new byte[padded];
        System.arraycopy(json, 0, out, 0, json.length);
        java.util.Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }
}
