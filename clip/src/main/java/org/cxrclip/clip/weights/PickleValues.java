package org.cxrclip.clip.weights;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The values our {@link Unpickler} produces besides plain Java ones (String, Long, Double, Boolean, null for None,
 * ArrayList for lists, LinkedHashMap for dicts). None of them runs code: a TorchScript module is an attribute bag,
 * a tensor is a description of a view into a storage that the checkpoint reader resolves.
 */
final class PickleValues {
    private PickleValues() {
    }

    /** A Python tuple. */
    record PyTuple(List<Object> items) {
    }

    /** A reference to an allow-listed Python global (a class or function), never resolved to code. */
    record Global(String module, String name) {
        String qualified() {
            return module + "." + name;
        }
    }

    /** An instance of a TorchScript class ({@code __torch__.*}): its attributes in pickled order. */
    static final class PyObject {
        final Global type;
        final String className;
        final Map<String, Object> attributes = new LinkedHashMap<>();

        PyObject(Global type) {
            this.type = type;
            this.className = type.qualified();
        }

        @Override
        public String toString() {
            return className + attributes.keySet();
        }
    }

    /** A storage named by a persistent id: its element type, archive key and element count. */
    record StorageRef(WeightDType dtype, String key, long numel, java.lang.foreign.MemorySegment bytes) {
    }

    /** The arguments of {@code torch._utils._rebuild_tensor_v2}: a strided view into a storage. */
    record TensorRef(StorageRef storage, long offset, long[] size, long[] stride) {
    }

    private static final int BRIEF_CHARS = 120;

    /**
     * A short rendering of a pickled value for an error message: containers three levels deep at most and about
     * 120 characters in all. Unpickled lists can contain themselves (through the memo), so their toString could
     * recurse without end or print megabytes.
     */
    static String brief(Object value) {
        StringBuilder sb = new StringBuilder();
        brief(value, sb, 0);
        return sb.length() > BRIEF_CHARS ? sb.substring(0, BRIEF_CHARS) + "…" : sb.toString();
    }

    private static void brief(Object o, StringBuilder sb, int depth) {
        if (o instanceof PyTuple t) {
            items(t.items(), "(", ")", sb, depth);
        } else if (o instanceof List<?> l) {
            items(l, "[", "]", sb, depth);
        } else if (o instanceof Map<?, ?> m) {
            sb.append("{dict of ").append(m.size()).append('}');
        } else if (o instanceof String s) {
            sb.append('\'').append(s, 0, Math.min(s.length(), 40)).append(s.length() > 40 ? "…'" : "'");
        } else if (o instanceof Global g) {
            sb.append(g.qualified());
        } else if (o == null || o instanceof Long || o instanceof Double || o instanceof Boolean) {
            sb.append(o == null ? "None" : o);
        } else {
            sb.append(o.getClass().getSimpleName());
        }
    }

    private static void items(List<?> items, String open, String close, StringBuilder sb, int depth) {
        if (depth >= 3) {
            sb.append(open).append("…").append(close);
            return;
        }
        sb.append(open);
        for (int i = 0; i < items.size() && sb.length() <= BRIEF_CHARS; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            brief(items.get(i), sb, depth + 1);
        }
        sb.append(close);
    }
}
