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
}
