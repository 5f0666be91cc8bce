package org.cxrclip.clip.weights;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Test helper: emits pickle opcodes byte by byte as REFERENCE §1.3 lists them, to build data.pkl fixtures. */
final class PickleWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    PickleWriter op(int b) {
        out.write(b);
        return this;
    }

    PickleWriter proto(int p) {
        return op(0x80).op(p);
    }

    PickleWriter global(String module, String name) {
        op('c');
        out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
        return this;
    }

    PickleWriter str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        op('X');
        le(b.length, 4);
        out.writeBytes(b);
        return this;
    }

    PickleWriter integer(long v) {
        if (v >= 0 && v < 256) {
            return op('K').op((int) v);
        }
        if (v >= 0 && v < 65536) {
            op('M');
            return le(v, 2);
        }
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            op('J');
            return le(v, 4);
        }
        op(0x8a).op(8);
        return le(v, 8);
    }

    PickleWriter binput(int i) {
        return op('q').op(i);
    }

    PickleWriter binget(int i) {
        return op('h').op(i);
    }

    PickleWriter mark() {
        return op('(');
    }

    PickleWriter tuple() {
        return op('t');
    }

    PickleWriter emptyTuple() {
        return op(')');
    }

    PickleWriter emptyDict() {
        return op('}');
    }

    PickleWriter setitems() {
        return op('u');
    }

    PickleWriter reduce() {
        return op('R');
    }

    PickleWriter newobj() {
        return op(0x81);
    }

    PickleWriter build() {
        return op('b');
    }

    PickleWriter bool(boolean b) {
        return op(b ? 0x88 : 0x89);
    }

    PickleWriter binpersid() {
        return op('Q');
    }

    PickleWriter stop() {
        return op('.');
    }

    /** {@code _rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict())} with a storage persistent id. */
    PickleWriter tensor(String storageType, String key, long numel, long offset, int[] size, long[] stride) {
        global("torch._utils", "_rebuild_tensor_v2").mark();
        mark().str("storage").global("torch", storageType).str(key).str("cpu").integer(numel).tuple().binpersid();
        integer(offset);
        mark();
        for (int s : size) {
            integer(s);
        }
        tuple().mark();
        for (long s : stride) {
            integer(s);
        }
        tuple().bool(false).global("collections", "OrderedDict").emptyTuple().reduce();
        return tuple().reduce();
    }

    private PickleWriter le(long v, int n) {
        for (int i = 0; i < n; i++) {
            out.write((int) (v >>> (8 * i)) & 0xff);
        }
        return this;
    }

    byte[] bytes() {
        return out.toByteArray();
    }
}
