package org.cxrclip.clip.weights;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cxrclip.clip.weights.PickleValues.Global;
import org.cxrclip.clip.weights.PickleValues.PyObject;
import org.cxrclip.clip.weights.PickleValues.PyTuple;
import org.cxrclip.clip.weights.PickleValues.StorageRef;
import org.cxrclip.clip.weights.PickleValues.TensorRef;

/**
 * Reads PyTorch zip checkpoints: plain {@code torch.save(state_dict)} files (also wrapped as {"state_dict": ...}
 * or {"model": ...}, and DataParallel's "module." prefix) and TorchScript archives ({@code torch.jit.save}, e.g.
 * OpenAI's ViT-B-32.pt), whose {@code data.pkl} is a module object graph walked into dotted keys. The archive
 * root is wherever {@code data.pkl} lies; storages are the entries {@code <root>/data/<key>}, mapped, never copied.
 * Tensors are views (offset, strides) into storages, so shared and non-contiguous storages decode correctly.
 * The JIT model's int64 scalar buffers input_resolution, context_length and vocab_size are skipped, as
 * {@code build_model} deletes them.
 */
public final class TorchCheckpointReader {
    /** Buffers of OpenAI's JIT model that are not weights. */
    static final Set<String> SKIPPED_KEYS = Set.of("input_resolution", "context_length", "vocab_size");
    private static final int MAX_DEPTH = 64;

    private TorchCheckpointReader() {
    }

    public static StateDict read(Path file) throws IOException {
        return read(file.toString(), MappedFile.map(file));
    }

    static StateDict read(String where, MemorySegment file) {
        ZipArchive zip = ZipArchive.open(where, file);
        String pkl = null;
        for (String name : zip.names()) {
            if ((name.endsWith("/data.pkl") || name.equals("data.pkl"))
                    && (pkl == null || name.length() < pkl.length())) {
                pkl = name;
            }
        }
        if (pkl == null) {
            throw new WeightFileException(where, "is a ZIP archive without a data.pkl entry, not a PyTorch checkpoint");
        }
        String root = pkl.substring(0, pkl.length() - "data.pkl".length());
        ByteOrder order = byteOrder(where, zip, root);
        Map<String, StorageRef> storages = new HashMap<>();
        String pklWhere = where + "!" + pkl;
        Object top = Unpickler.load(pklWhere, zip.data(pkl), pid -> storage(pklWhere, zip, root, pid, storages));

        Map<String, TensorRef> refs = new java.util.LinkedHashMap<>();
        if (top instanceof PyObject module) {
            walk(module, "", new TorchScriptCode(zip, root), refs, Collections.newSetFromMap(new IdentityHashMap<>()), 0);
        } else if (top instanceof Map<?, ?> map) {
            collectStateDict(where, unwrap(map), refs);
        } else {
            throw new WeightFileException(where, "data.pkl holds a " + (top == null ? "None" : top.getClass().getSimpleName())
                    + ", not a state dict or a TorchScript module");
        }
        if (refs.isEmpty()) {
            throw new WeightFileException(where, "holds no tensors");
        }
        String strip = refs.keySet().stream().allMatch(k -> k.startsWith("module.")) ? "module." : "";
        StateDict sd = new StateDict(where);
        for (Map.Entry<String, TensorRef> e : refs.entrySet()) {
            String key = e.getKey().substring(strip.length());
            if (SKIPPED_KEYS.contains(key)) {
                continue;
            }
            TensorRef t = e.getValue();
            int[] shape = new int[t.size().length];
            for (int i = 0; i < shape.length; i++) {
                if (t.size()[i] < 0 || t.size()[i] > Integer.MAX_VALUE) {
                    throw new WeightFileException(where, key, "has invalid size " + java.util.Arrays.toString(t.size()));
                }
                shape[i] = (int) t.size()[i];
            }
            StorageRef s = t.storage();
            sd.put(WeightTensor.mapped(where, key, s.dtype(), shape, s.bytes(), order, t.offset(), t.stride()));
        }
        return sd;
    }

    /** Training checkpoints often wrap the weights; unwrap the usual containers when they hold a dict. */
    private static Map<?, ?> unwrap(Map<?, ?> map) {
        for (String k : List.of("state_dict", "model", "model_state_dict")) {
            if (map.get(k) instanceof Map<?, ?> inner && !map.values().stream().allMatch(v -> v instanceof TensorRef)) {
                return inner;
            }
        }
        return map;
    }

    private static void collectStateDict(String where, Map<?, ?> map, Map<String, TensorRef> out) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (e.getKey() instanceof String k && e.getValue() instanceof TensorRef t) {
                out.put(k, t);
            }
        }
    }

    /**
     * TorchScript modules: parameters, buffers and submodules are attributes; their dotted path is the key. Tensor
     * attributes that the class code does not declare as parameter or buffer (e.g. attn_mask) are not weights.
     */
    private static void walk(PyObject module, String prefix, TorchScriptCode code, Map<String, TensorRef> out,
            Set<Object> seen, int depth) {
        if (depth > MAX_DEPTH || !seen.add(module)) {
            return; // a cycle or absurd nesting cannot be a module tree
        }
        Set<String> state = code.stateAttributes(module.type);
        for (Map.Entry<String, Object> e : module.attributes.entrySet()) {
            String key = prefix + e.getKey();
            if (e.getValue() instanceof TensorRef t && (state == null || state.contains(e.getKey()))) {
                out.putIfAbsent(key, t);
            } else if (e.getValue() instanceof PyObject child) {
                walk(child, key + ".", code, out, seen, depth + 1);
            }
        }
    }

    private static ByteOrder byteOrder(String where, ZipArchive zip, String root) {
        if (zip.entry(root + "byteorder") == null) {
            return ByteOrder.LITTLE_ENDIAN;
        }
        MemorySegment b = zip.data(root + "byteorder");
        if (b.byteSize() > 16) {
            throw new WeightFileException(where, "byteorder entry is " + b.byteSize() + " bytes long");
        }
        String s = new String(b.toArray(ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII).trim();
        return switch (s) {
            case "little" -> ByteOrder.LITTLE_ENDIAN;
            case "big" -> ByteOrder.BIG_ENDIAN;
            default -> throw new WeightFileException(where, "byteorder entry says '" + s + "'");
        };
    }

    /** Resolves ("storage", torch.XStorage, key, location, numel) to the mapped bytes of {@code <root>/data/<key>}. */
    private static StorageRef storage(String where, ZipArchive zip, String root, PyTuple pid, Map<String, StorageRef> cache) {
        List<Object> p = pid.items();
        if (p.size() != 5 || !"storage".equals(p.get(0)) || !(p.get(1) instanceof Global type)
                || !(p.get(2) instanceof String key) || !(p.get(4) instanceof Long numel)) {
            throw new WeightFileException(where, "persistent id " + PickleValues.brief(pid)
                    + " is not a (\"storage\", type, key, location, numel) tuple");
        }
        WeightDType dtype = WeightDType.fromTorchStorage(type.name());
        if (!type.module().equals("torch") || dtype == null) {
            throw new WeightFileException(where, "storage type " + type.qualified() + " is not supported");
        }
        StorageRef cached = cache.get(key);
        if (cached != null) {
            if (cached.dtype() != dtype) {
                throw new WeightFileException(where, "storage '" + key + "' is used as both " + cached.dtype() + " and " + dtype);
            }
            return cached;
        }
        String entry = root + "data/" + key;
        if (zip.entry(entry) == null) {
            throw new WeightFileException(where, "storage '" + key + "' has no archive entry " + entry);
        }
        MemorySegment bytes = zip.data(entry);
        if (numel < 0 || numel > bytes.byteSize() / dtype.bytes()) {
            throw new WeightFileException(where, "storage '" + key + "' claims " + numel + " " + dtype + " elements but "
                    + entry + " holds " + bytes.byteSize() + " bytes");
        }
        StorageRef s = new StorageRef(dtype, key, numel, bytes.asSlice(0, numel * dtype.bytes()));
        cache.put(key, s);
        return s;
    }
}
