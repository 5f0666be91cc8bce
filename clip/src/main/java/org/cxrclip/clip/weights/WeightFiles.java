package org.cxrclip.clip.weights;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens any supported CLIP weight file and returns it with OpenAI names: safetensors or PyTorch zip (plain state
 * dict or TorchScript archive) is told apart by the first bytes, HuggingFace or OpenAI naming by the keys. Values
 * stay in the mapped file until a tensor is decoded (always to float32).
 */
public final class WeightFiles {
    /** File formats we recognise. */
    public enum Format { SAFETENSORS, TORCH_ZIP }

    private WeightFiles() {
    }

    /** The file's format, judged by its first bytes; an error says what the file seems to be otherwise. */
    public static Format sniff(Path file) throws IOException {
        return sniff(file.toString(), map(file));
    }

    static Format sniff(String where, MemorySegment seg) {
        if (seg.byteSize() == 0) {
            throw new WeightFileException(where, "is empty");
        }
        if (ZipArchive.looksLikeZip(seg)) {
            return Format.TORCH_ZIP;
        }
        if (seg.byteSize() >= 9 && seg.get(ValueLayout.JAVA_BYTE, 8) == '{') {
            return Format.SAFETENSORS;
        }
        if ((seg.get(ValueLayout.JAVA_BYTE, 0) & 0xff) == 0x80) {
            throw new WeightFileException(where, "is a legacy (pre-1.6, non-zip) torch pickle; re-save it with "
                    + "torch.save(..., _use_new_zipfile_serialization=True) or convert it to safetensors");
        }
        long n = seg.byteSize() >= 8 ? seg.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0) : -1;
        throw new WeightFileException(where, "is neither safetensors nor a PyTorch zip checkpoint"
                + (n >= 0 ? " (first 8 bytes read as header length " + Long.toUnsignedString(n) + ")" : ""));
    }

    /** Reads the tensors with the file's own names. */
    public static StateDict openRaw(Path file) throws IOException {
        return openRaw(file.toString(), map(file));
    }

    /** {@link #openRaw(Path)} for bytes already in memory or mapped; {@code where} names them in errors. */
    static StateDict openRaw(String where, MemorySegment seg) {
        return switch (sniff(where, seg)) {
            case SAFETENSORS -> SafetensorsReader.read(where, seg);
            case TORCH_ZIP -> TorchCheckpointReader.read(where, seg);
        };
    }

    private static MemorySegment map(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new WeightFileException(file.toString(), "does not exist or is not a regular file");
        }
        return MappedFile.map(file);
    }

    /** Reads the tensors and renames HuggingFace keys to OpenAI keys (q/k/v fused, projections transposed). */
    public static StateDict open(Path file) throws IOException {
        return withOpenAiNames(openRaw(file));
    }

    /** {@link #open(Path)} for bytes already in memory or mapped; {@code where} names them in errors. */
    static StateDict open(String where, MemorySegment seg) {
        return withOpenAiNames(openRaw(where, seg));
    }

    private static StateDict withOpenAiNames(StateDict raw) {
        if (HuggingFaceNames.isHuggingFace(raw)) {
            return HuggingFaceNames.toOpenAi(raw);
        }
        if (raw.keys().stream().anyMatch(TorchCheckpointReader.SKIPPED_KEYS::contains)) {
            StateDict sd = new StateDict(raw.source());
            raw.tensors().stream().filter(t -> !TorchCheckpointReader.SKIPPED_KEYS.contains(t.name())).forEach(sd::put);
            return sd;
        }
        return raw;
    }
}
