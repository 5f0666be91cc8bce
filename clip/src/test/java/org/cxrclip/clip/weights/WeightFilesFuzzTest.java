package org.cxrclip.clip.weights;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.cxrclip.engine.testing.MutationFuzzer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutation fuzzing of the weight readers (see {@link MutationFuzzer}): whatever the bytes, loading either works or
 * ends in a {@link WeightFileException} whose message starts with the file name. A load here is what
 * {@code ClipCheckpoint.load} does before building the model: open with OpenAI names, decode every tensor, infer
 * and validate the configuration. Seeds are the files PyTorch wrote (src/test/resources/weights) and small archives
 * made by our test writers, whose zip and pickle structure is a larger share of their bytes.
 */
class WeightFilesFuzzTest {
    private static final String WHERE = "fuzz/model.bin";
    private static final Path REPLAY = Path.of("src/test/resources/fuzz/weights");

    @TempDir
    Path dir;

    @Test
    void safetensorsBytes() throws Exception {
        MutationFuzzer.named("safetensors").seed(resource("weights/tiny_hf.safetensors"), smallSafetensors())
                .dictionary("\"dtype\"", "\"shape\"", "\"data_offsets\"", "\"__metadata__\"", "\"F16\"", "\"BF16\"",
                        "\"I64\"", "\"BOOL\"", "\"F64\"", "[", "]", "{", "}", ",", ":", "\"", "\\u", "[]", "null",
                        "[[[[[[[[[[[[[[[[", "1e999")
                .replay(REPLAY.resolve("safetensors")).cases(3000)
                .run(input -> load(input), namesTheFile());
    }

    /** The JSON header mutated alone, its length field kept right, so the header's claims are what is tested. */
    @Test
    void safetensorsHeader() throws Exception {
        byte[] file = smallSafetensors();
        long n = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong();
        byte[] json = java.util.Arrays.copyOfRange(file, 8, 8 + (int) n);
        byte[] data = java.util.Arrays.copyOfRange(file, 8 + (int) n, file.length);
        MutationFuzzer.named("safetensors-header").seed(json)
                .dictionary("\"dtype\"", "\"shape\"", "\"data_offsets\"", "\"__metadata__\"", "\"F16\"", "\"BF16\"",
                        "\"I64\"", "\"U8\"", "[0,0]", "[0,18446744073709551615]", "[4294967296,4294967296]", "{}", "[]",
                        "\"x\":{\"dtype\":\"F32\",\"shape\":[65536,65536,65536],\"data_offsets\":[0,0]},",
                        "\"w\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]},", "\\ud800", "\\u0000")
                .replay(REPLAY.resolve("safetensors-header")).cases(4000)
                .run(header -> {
                    ByteBuffer b = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
                    load(b.putLong(header.length).put(header).put(data).array());
                }, namesTheFile());
    }

    @Test
    void torchZipArchives() throws Exception {
        MutationFuzzer.named("torch-zip")
                .seed(resource("weights/tiny_state_dict.pt"), resource("weights/tiny_jit_script.pt"),
                        resource("weights/tiny_jit_trace.pt"), smallStateDictArchive(false), smallStateDictArchive(true),
                        smallTorchScriptArchive())
                .dictionary(new byte[] {'P', 'K', 1, 2}, new byte[] {'P', 'K', 3, 4}, new byte[] {'P', 'K', 5, 6},
                        new byte[] {'P', 'K', 6, 6}, new byte[] {'P', 'K', 6, 7}, new byte[] {-1, -1, -1, -1},
                        new byte[] {1, 0, 24, 0, -1, -1, -1, -1, -1, -1, -1, 127}, new byte[] {8, 0})
                .dictionary("data.pkl", "byteorder", "big", "data/0", "code/__torch__/model.py")
                .replay(REPLAY.resolve("torch-zip")).cases(3000)
                .run(input -> load(input), namesTheFile());
    }

    /**
     * data.pkl mutated alone and put back into the archive it came from (the first input byte picks which), so
     * the unpickler and the tensor views see hostile opcodes while the zip stays sound.
     */
    @Test
    void torchPickles() throws Exception {
        byte[][] archives = {resource("weights/tiny_state_dict.pt"), resource("weights/tiny_jit_script.pt"),
            smallStateDictArchive(false), smallTorchScriptArchive()};
        MutationFuzzer f = MutationFuzzer.named("torch-pickle");
        List<Map<String, byte[]>> unzipped = new ArrayList<>();
        for (int i = 0; i < archives.length; i++) {
            Map<String, byte[]> entries = unzip(archives[i]);
            unzipped.add(entries);
            String pkl = entries.keySet().stream().filter(k -> k.endsWith("data.pkl")).findFirst().orElseThrow();
            f.seed(prefixed(i, entries.get(pkl)));
        }
        f.dictionary("(", "t", ")", "\u0085", "\u0086", "\u0087", "]", "l", "}", "d", "s", "u", "a", "e", "N", "\u0088", "0",
                "1", "2", "R", "\u0081", "b", "Q", ".", "\u0094", "q\u0000", "h\u0000", "h\u00ff", "r\u00ff\u00ff\u00ff\u00ff",
                "j\u00ff\u00ff\u00ff\u00ff", "X\u00ff\u00ff\u00ff\u007f", "X\u0000\u0000\u0000\u0000", "B\u00ff\u00ff\u00ff\u00ff",
                "\u008c\u00ff", "\u008d\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u007f", "\u008a\u0008\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u007f",
                "J\u00ff\u00ff\u00ff\u00ff", "K\u00ff", "M\u00ff\u00ff", "G\u007f\u00f0\u0000\u0000\u0000\u0000\u0000\u0000",
                "ctorch\nFloatStorage\n", "ctorch\nLongStorage\n", "ctorch._utils\n_rebuild_tensor_v2\n",
                "ccollections\nOrderedDict\n", "c__torch__.m\nM\n", "ctorch.jit._pickle\nbuild_intlist\n", "ctorch\ndevice\n",
                "\u0080\u0002", "\u0095\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000", "X\u0007\u0000\u0000\u0000storage",
                "((((((((((((((((", "]]]]]]]]]]]]]]]]");
        f.replay(REPLAY.resolve("torch-pickle")).cases(3000).run(input -> {
            if (input.length == 0) {
                return;
            }
            Map<String, byte[]> archive = unzipped.get((input[0] & 0xff) % archives.length);
            load(replaceEntry(archive, "data.pkl", java.util.Arrays.copyOfRange(input, 1, input.length)));
        }, namesTheFile());
    }

    /** The public path: a real file, mapped; fewer cases, as each maps a file. */
    @Test
    void filesOnDisk() throws Exception {
        Path file = dir.resolve("model.bin");
        MutationFuzzer.named("weight-files").seed(smallSafetensors(), smallStateDictArchive(false))
                .dictionary(new byte[] {'P', 'K', 3, 4}, new byte[] {(byte) 0x80, 2})
                .cases(300)
                .run(input -> {
                    Files.write(file, input);
                    StateDict sd = WeightFiles.open(file);
                    decodeAndValidate(sd);
                }, t -> t instanceof WeightFileException && t.getMessage().startsWith(file.toString()));
    }

    private static Predicate<Throwable> namesTheFile() {
        return t -> t instanceof WeightFileException && t.getMessage().startsWith(WHERE);
    }

    /** What ClipCheckpoint.load does before it builds the model. */
    private static void load(byte[] input) {
        decodeAndValidate(WeightFiles.open(WHERE, MemorySegment.ofArray(input)));
    }

    private static void decodeAndValidate(StateDict sd) {
        for (WeightTensor t : sd.tensors()) {
            t.toFloats();
        }
        ClipConfig.inferAndValidate(sd);
    }

    static byte[] resource(String name) throws IOException, URISyntaxException {
        return Files.readAllBytes(Path.of(WeightFilesFuzzTest.class.getResource("/" + name).toURI()));
    }

    /** F16, BF16, I64 and F32 tensors and metadata in 200 bytes. */
    static byte[] smallSafetensors() {
        String json = "{\"__metadata__\":{\"format\":\"pt\"},\"h\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[0,6]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2,1],\"data_offsets\":[6,10]},"
                + "\"i\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[10,26]},"
                + "\"visual.proj\":{\"dtype\":\"F32\",\"shape\":[1,1],\"data_offsets\":[26,30]}}";
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + 30).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        b.putShort((short) 0x3C00).putShort((short) 0xC000).putShort((short) 0x3555);
        b.putShort((short) 0x3F80).putShort((short) 0x4049).putLong(7).putLong(-3).putFloat(0.5f);
        return b.array();
    }

    /** A torch.save-style archive of three small tensors (one a strided view, one half precision). */
    static byte[] smallStateDictArchive(boolean deflate) throws IOException {
        TorchArchiveWriter w = new TorchArchiveWriter("small");
        PickleWriter p = new PickleWriter().proto(2).global("collections", "OrderedDict").emptyTuple().reduce().mark();
        p.str("a").tensor("FloatStorage", "0", 6, 1, new int[] {2, 2}, new long[] {1, 2});
        p.str("b").tensor("HalfStorage", "1", 2, 0, new int[] {2}, new long[] {1});
        p.str("visual.proj").tensor("FloatStorage", "0", 6, 0, new int[] {1, 1}, new long[] {1, 1});
        p.setitems().stop();
        w.entry("data.pkl", p.bytes())
                .entry("data/0", TorchArchiveWriter.storage(new float[] {1, 2, 3, 4, 5, 6}, false, ByteOrder.LITTLE_ENDIAN))
                .entry("data/1", TorchArchiveWriter.storage(new float[] {0.5f, -2}, true, ByteOrder.LITTLE_ENDIAN))
                .entry("byteorder", "little".getBytes(StandardCharsets.US_ASCII));
        if (deflate) {
            w.deflatePickle();
        }
        return w.toBytes();
    }

    /** A TorchScript-style module graph of two tiny blocks. */
    static byte[] smallTorchScriptArchive() throws IOException {
        StateDict sd = new StateDict("small");
        sd.put(WeightTensor.ofFloats("visual.proj", new float[] {1, 2}, 1, 2));
        sd.put(WeightTensor.ofFloats("blocks.0.in_proj_weight", new float[] {1, 2, 3}, 3));
        sd.put(WeightTensor.ofFloats("blocks.0.in_proj_bias", new float[] {4}, 1));
        Path tmp = Files.createTempFile("small-jit", ".pt");
        try {
            TorchArchiveWriter.writeTorchScript(tmp, sd, Set.of("blocks.0.in_proj_bias"));
            return Files.readAllBytes(tmp);
        } finally {
            Files.delete(tmp);
        }
    }

    private static byte[] prefixed(int tag, byte[] b) {
        byte[] out = new byte[b.length + 1];
        out[0] = (byte) tag;
        System.arraycopy(b, 0, out, 1, b.length);
        return out;
    }

    /** Entry name → bytes, read with our reader (PyTorch's stored entries have data descriptors). */
    static Map<String, byte[]> unzip(byte[] archive) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        ZipArchive zip = ZipArchive.open("seed", MemorySegment.ofArray(archive));
        for (String name : zip.names()) {
            out.put(name, zip.data(name).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
        }
        return out;
    }

    /** The archive with the entry ending in {@code suffix} replaced (all entries stored). */
    private static byte[] replaceEntry(Map<String, byte[]> archive, String suffix, byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : archive.entrySet()) {
                byte[] v = e.getKey().endsWith(suffix) ? data : e.getValue();
                ZipEntry ze = new ZipEntry(e.getKey());
                java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                crc.update(v);
                ze.setMethod(ZipEntry.STORED);
                ze.setSize(v.length);
                ze.setCompressedSize(v.length);
                ze.setCrc(crc.getValue());
                z.putNextEntry(ze);
                z.write(v);
                z.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}
