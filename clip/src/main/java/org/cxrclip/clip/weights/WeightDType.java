package org.cxrclip.clip.weights;

import java.util.Locale;

/**
 * Element types a weight file may store, with their safetensors names and PyTorch storage class names.
 * Everything is decoded to float32 on request; the source type is kept so a summary can say what the file held.
 */
public enum WeightDType {
    F32(4, "F32", "FloatStorage"),
    F16(2, "F16", "HalfStorage"),
    BF16(2, "BF16", "BFloat16Storage"),
    F64(8, "F64", "DoubleStorage"),
    I64(8, "I64", "LongStorage"),
    I32(4, "I32", "IntStorage"),
    U8(1, "U8", "ByteStorage"),
    BOOL(1, "BOOL", "BoolStorage");

    private final int bytes;
    private final String safetensorsName;
    private final String torchStorageName;

    WeightDType(int bytes, String safetensorsName, String torchStorageName) {
        this.bytes = bytes;
        this.safetensorsName = safetensorsName;
        this.torchStorageName = torchStorageName;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** The name used in a safetensors header ("F32", "F16", ...). */
    public String safetensorsName() {
        return safetensorsName;
    }

    /** True for the float types a model parameter can have. */
    public boolean isFloating() {
        return this == F32 || this == F16 || this == BF16 || this == F64;
    }

    /** The type named in a safetensors header, or null when we do not read it. */
    static WeightDType fromSafetensors(String name) {
        for (WeightDType t : values()) {
            if (t.safetensorsName.equals(name.toUpperCase(Locale.ROOT))) {
                return t;
            }
        }
        return null;
    }

    /** The type of a {@code torch.<Name>Storage} class, or null when we do not read it. */
    static WeightDType fromTorchStorage(String className) {
        for (WeightDType t : values()) {
            if (t.torchStorageName.equals(className)) {
                return t;
            }
        }
        return null;
    }
}
