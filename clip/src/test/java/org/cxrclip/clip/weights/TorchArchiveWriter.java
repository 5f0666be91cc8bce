package org.cxrclip.clip.weights;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Test helper: writes PyTorch-style zip checkpoints following REFERENCE §1.3 — a plain {@code torch.save} state
 * dict (OrderedDict + SETITEMS + BUILD of _metadata) or a TorchScript-style module graph (NEWOBJ + BUILD per module,
 * int64 buffers input_resolution/context_length/vocab_size, an undeclared attn_mask attribute and code declaring
 * the parameters) — storages as stored entries under {@code <root>/data/<key>}.
 */
final class TorchArchiveWriter {
    private final Map<String, byte[]> entries = new LinkedHashMap<>();
    private final String root;
    private boolean deflatePickle;

    TorchArchiveWriter(String root) {
        this.root = root;
    }

    TorchArchiveWriter entry(String name, byte[] data) {
        entries.put(root + "/" + name, data);
        return this;
    }

    TorchArchiveWriter deflatePickle() {
        this.deflatePickle = true;
        return this;
    }

    void write(Path file) throws IOException {
        try (OutputStream os = Files.newOutputStream(file)) {
            write(os);
        }
    }

    /** The archive's bytes. */
    byte[] toBytes() throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        write(out);
        return out.toByteArray();
    }

    private void write(OutputStream os) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(os)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry z = new ZipEntry(e.getKey());
                boolean deflate = deflatePickle && e.getKey().endsWith(".pkl");
                if (!deflate) {
                    CRC32 crc = new CRC32();
                    crc.update(e.getValue());
                    z.setMethod(ZipEntry.STORED);
                    z.setSize(e.getValue().length);
                    z.setCompressedSize(e.getValue().length);
                    z.setCrc(crc.getValue());
                } else {
                    z.setMethod(ZipEntry.DEFLATED);
                }
                zip.putNextEntry(z);
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
    }

    static byte[] storage(float[] v, boolean half, ByteOrder order) {
        ByteBuffer b = ByteBuffer.allocate(v.length * (half ? 2 : 4)).order(order);
        for (float f : v) {
            if (half) {
                b.putShort(Float.floatToFloat16(f));
            } else {
                b.putFloat(f);
            }
        }
        return b.array();
    }

    /** A torch.save(state_dict) archive; keys in {@code half} are stored as HalfStorage. */
    static void writeStateDict(Path file, StateDict sd, Set<String> half, boolean deflate) throws IOException {
        TorchArchiveWriter w = new TorchArchiveWriter("archive");
        PickleWriter p = new PickleWriter().proto(2).global("collections", "OrderedDict").emptyTuple().reduce().mark();
        int key = 0;
        for (WeightTensor t : sd.tensors()) {
            String k = Integer.toString(key++);
            boolean h = half.contains(t.name());
            w.entry("data/" + k, storage(t.toFloats(), h, ByteOrder.LITTLE_ENDIAN));
            p.str(t.name()).tensor(h ? "HalfStorage" : "FloatStorage", k, t.numel(), 0, t.shape(),
                    MappedFile.contiguousStrides(t.shape()));
        }
        p.setitems().emptyDict().mark().str("_metadata").global("collections", "OrderedDict").emptyTuple().reduce()
                .setitems().build().stop();
        w.entry("data.pkl", p.bytes()).entry("version", "3\n".getBytes());
        if (deflate) {
            w.deflatePickle();
        }
        w.write(file);
    }

    /** A TorchScript-style archive: nested module objects whose attribute paths are the keys. */
    static void writeTorchScript(Path file, StateDict sd, Set<String> half) throws IOException {
        TorchArchiveWriter w = new TorchArchiveWriter("tiny_jit");
        Node top = new Node();
        for (WeightTensor t : sd.tensors()) {
            top.put(List.of(t.name().split("\\.")), t);
        }
        PickleWriter p = new PickleWriter().proto(2);
        int[] key = {0};
        writeModule(p, w, top, "Model", half, key, true);
        p.stop();
        w.entry("data.pkl", p.bytes()).entry("version", "1\n".getBytes()).entry("constants.pkl",
                new PickleWriter().proto(2).emptyTuple().stop().bytes());
        // The block class declares its parameters; its attn_mask tensor attribute is not one.
        w.entry("code/__torch__/model.py", ("class Block(Module):\n  __parameters__ = [\"in_proj_weight\", "
                + "\"in_proj_bias\", ]\n  __buffers__ = []\n  training : bool\n").getBytes());
        w.write(file);
    }

    private static final class Node {
        final Map<String, Object> children = new LinkedHashMap<>();

        void put(List<String> path, WeightTensor t) {
            if (path.size() == 1) {
                children.put(path.get(0), t);
                return;
            }
            ((Node) children.computeIfAbsent(path.get(0), k -> new Node())).put(path.subList(1, path.size()), t);
        }
    }

    private static void writeModule(PickleWriter p, TorchArchiveWriter w, Node node, String cls, Set<String> half,
            int[] key, boolean top) {
        boolean block = node.children.containsKey("in_proj_weight");
        p.global(block ? "__torch__.model" : "__torch__.model.___torch_mangle_7", block ? "Block" : cls)
                .emptyTuple().newobj().emptyDict().mark().str("training").bool(false);
        List<String> names = new ArrayList<>(node.children.keySet());
        for (String name : names) {
            Object c = node.children.get(name);
            p.str(name);
            if (c instanceof WeightTensor t) {
                String k = Integer.toString(key[0]++);
                boolean h = half.contains(t.name());
                w.entry("data/" + k, storage(t.toFloats(), h, ByteOrder.LITTLE_ENDIAN));
                p.tensor(h ? "HalfStorage" : "FloatStorage", k, t.numel(), 0, t.shape(),
                        MappedFile.contiguousStrides(t.shape()));
            } else {
                writeModule(p, w, (Node) c, "M_" + name, half, key, false);
            }
        }
        if (block) {
            String k = Integer.toString(key[0]++);
            w.entry("data/" + k, storage(new float[] {0, -1e9f, 0, 0}, false, ByteOrder.LITTLE_ENDIAN));
            p.str("attn_mask").tensor("FloatStorage", k, 4, 0, new int[] {2, 2}, new long[] {2, 1});
        }
        if (top) {
            for (String buffer : new String[] {"input_resolution", "context_length", "vocab_size"}) {
                String k = Integer.toString(key[0]++);
                w.entry("data/" + k, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(224).array());
                p.str(buffer).tensor("LongStorage", k, 1, 0, new int[0], new long[0]);
            }
        }
        p.setitems().build();
    }
}
