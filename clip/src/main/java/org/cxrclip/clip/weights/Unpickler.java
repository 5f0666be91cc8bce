package org.cxrclip.clip.weights;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.cxrclip.clip.weights.PickleValues.Global;
import org.cxrclip.clip.weights.PickleValues.PyObject;
import org.cxrclip.clip.weights.PickleValues.PyTuple;
import org.cxrclip.clip.weights.PickleValues.StorageRef;
import org.cxrclip.clip.weights.PickleValues.TensorRef;

/**
 * A safe, restricted unpickler for PyTorch's {@code data.pkl}: the opcodes that {@code torch.save} (protocol 2)
 * and the TorchScript pickler emit, plus the protocol-4 framing extras. Globals are checked against an allow-list
 * the moment they are named, and none is ever executed: tensors become {@link TensorRef} descriptions, TorchScript
 * modules become {@link PyObject} attribute bags, OrderedDicts become LinkedHashMaps. Memo lookups, marks and the
 * stack are bounds-checked; every length is checked against the bytes that remain. Errors name the source and
 * the byte offset of the opcode.
 */
final class Unpickler {
    private static final int MAX_STACK = 1 << 24;
    private static final int MAX_GLOBAL_LINE = 512;
    private static final Set<String> STORAGES = Set.of("FloatStorage", "HalfStorage", "BFloat16Storage", "LongStorage",
            "IntStorage", "DoubleStorage", "ByteStorage", "BoolStorage");
    private static final Set<String> JIT_HELPERS = Set.of("build_intlist", "build_tensorlist", "build_doublelist",
            "build_boollist", "build_genericlist", "restore_type_tag");
    private static final Object MARK = new Object();

    private final String where;
    private final MemorySegment in;
    private final Function<PyTuple, StorageRef> persistentLoader;
    private final ArrayList<Object> stack = new ArrayList<>();
    private final ArrayList<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();
    private long pos;
    private long opStart;

    private Unpickler(String where, MemorySegment in, Function<PyTuple, StorageRef> persistentLoader) {
        this.where = where;
        this.in = in;
        this.persistentLoader = persistentLoader;
    }

    /** Unpickles one object. {@code persistentLoader} resolves storage persistent ids. */
    static Object load(String where, MemorySegment in, Function<PyTuple, StorageRef> persistentLoader) {
        return new Unpickler(where, in, persistentLoader).run();
    }

    private Object run() {
        while (true) {
            opStart = pos;
            int op = u8();
            switch (op) {
                case 0x80 -> { // PROTO
                    int proto = u8();
                    if (proto > 5) {
                        throw error("pickle protocol " + proto + " is not supported");
                    }
                }
                case 0x95 -> bytes(8); // FRAME: framing is only an I/O hint
                case '.' -> { // STOP
                    if (stack.size() != 1 || !marks.isEmpty()) {
                        throw error("STOP with " + stack.size() + " values on the stack");
                    }
                    return stack.get(0);
                }
                case 'c' -> push(global(line(), line()));
                case 0x93 -> { // STACK_GLOBAL
                    Object name = pop();
                    Object module = pop();
                    if (!(module instanceof String m) || !(name instanceof String n)) {
                        throw error("STACK_GLOBAL needs two strings");
                    }
                    push(global(m, n));
                }
                case 'q' -> memo.put((long) u8(), top());
                case 'r' -> memo.put(u32(), top());
                case 0x94 -> memo.put((long) memo.size(), top());
                case 'h' -> push(memoGet(u8()));
                case 'j' -> push(memoGet(u32()));
                case '(' -> {
                    marks.add(stack.size());
                    push(MARK);
                }
                case 't' -> push(new PyTuple(popMark()));
                case ')' -> push(new PyTuple(List.of()));
                case 0x85 -> push(tupleOf(1));
                case 0x86 -> push(tupleOf(2));
                case 0x87 -> push(tupleOf(3));
                case ']' -> push(new ArrayList<>());
                case 'l' -> push(new ArrayList<>(popMark()));
                case '}' -> push(new LinkedHashMap<>());
                case 'd' -> {
                    Map<Object, Object> d = new LinkedHashMap<>();
                    putPairs(d, popMark());
                    push(d);
                }
                case 's' -> {
                    Object v = pop();
                    Object k = pop();
                    putPairs(asMap(top()), java.util.Arrays.asList(k, v));
                }
                case 'u' -> {
                    List<Object> items = popMark();
                    putPairs(asMap(top()), items);
                }
                case 'a' -> {
                    Object v = pop();
                    asList(top()).add(v);
                }
                case 'e' -> {
                    List<Object> items = popMark();
                    asList(top()).addAll(items);
                }
                case 'J' -> push((long) in.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), take(4)));
                case 'K' -> push((long) u8());
                case 'M' -> push((long) (in.get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), take(2)) & 0xffff));
                case 0x8a -> push(long1());
                case 'X' -> push(utf8(u32()));
                case 0x8c -> push(utf8(u8()));
                case 0x8d -> push(utf8(in.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), take(8))));
                case 'C' -> push(bytes(u8()));
                case 'B' -> push(bytes(u32()));
                case 'G' -> push(in.get(ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), take(8)));
                case 'N' -> push(null);
                case 0x88 -> push(Boolean.TRUE);
                case 0x89 -> push(Boolean.FALSE);
                case '0' -> pop();
                case '1' -> popMark();
                case '2' -> push(top());
                case 'R' -> {
                    Object args = pop();
                    Object fn = pop();
                    push(reduce(fn, args));
                }
                case 0x81 -> { // NEWOBJ
                    Object args = pop();
                    Object cls = pop();
                    if (!(cls instanceof Global g) || !isTorchScriptClass(g.module())) {
                        throw error("NEWOBJ of " + describe(cls) + " is not allowed");
                    }
                    if (!(args instanceof PyTuple t) || !t.items().isEmpty()) {
                        throw error("NEWOBJ of " + g.qualified() + " with constructor arguments is not supported");
                    }
                    push(new PyObject(g));
                }
                case 'b' -> build(pop(), top());
                case 'Q' -> {
                    Object pid = pop();
                    if (!(pid instanceof PyTuple t)) {
                        throw error("persistent id is not a tuple");
                    }
                    push(persistentLoader.apply(t));
                }
                default -> throw error(String.format("unsupported pickle opcode 0x%02x", op));
            }
        }
    }

    private Global global(String module, String name) {
        boolean allowed = switch (module) {
            case "torch._utils" -> name.equals("_rebuild_tensor_v2") || name.equals("_rebuild_parameter");
            case "torch" -> STORAGES.contains(name) || name.equals("device");
            case "collections" -> name.equals("OrderedDict");
            case "torch.jit._pickle" -> JIT_HELPERS.contains(name);
            default -> isTorchScriptClass(module);
        };
        if (!allowed) {
            throw error("refuses to load global " + module + "." + name
                    + " (not on the allow-list of tensor, storage and TorchScript module names)");
        }
        return new Global(module, name);
    }

    private static boolean isTorchScriptClass(String module) {
        return module.equals("__torch__") || module.startsWith("__torch__.");
    }

    private Object reduce(Object fn, Object argsObj) {
        if (!(fn instanceof Global g)) {
            throw error("REDUCE on " + describe(fn) + ", which is not a callable global");
        }
        if (!(argsObj instanceof PyTuple argsTuple)) {
            throw error("REDUCE arguments for " + g.qualified() + " are not a tuple");
        }
        List<Object> a = argsTuple.items();
        switch (g.qualified()) {
            case "torch._utils._rebuild_tensor_v2" -> {
                if (a.size() < 4 || !(a.get(0) instanceof StorageRef s) || !(a.get(1) instanceof Long offset)) {
                    throw error("_rebuild_tensor_v2 needs (storage, offset, size, stride, ...)");
                }
                return new TensorRef(s, offset, longs(a.get(2), "size"), longs(a.get(3), "stride"));
            }
            case "torch._utils._rebuild_parameter" -> {
                if (a.isEmpty()) {
                    throw error("_rebuild_parameter without arguments");
                }
                return a.get(0);
            }
            case "collections.OrderedDict" -> {
                Map<Object, Object> d = new LinkedHashMap<>();
                if (!a.isEmpty() && a.get(0) instanceof List<?> pairs) {
                    for (Object p : pairs) {
                        if (!(p instanceof PyTuple kv) || kv.items().size() != 2) {
                            throw error("OrderedDict item is not a (key, value) pair");
                        }
                        putPairs(d, kv.items());
                    }
                }
                return d;
            }
            case "torch.device" -> {
                if (a.isEmpty() || !(a.get(0) instanceof String s)) {
                    throw error("torch.device needs a string");
                }
                return s;
            }
            default -> {
                if (g.module().equals("torch.jit._pickle") && !a.isEmpty()) {
                    return a.get(0); // build_*list(list) and restore_type_tag(value, type) both yield the value
                }
                throw error("calling " + g.qualified() + " is not allowed");
            }
        }
    }

    private void build(Object state, Object target) {
        if (target instanceof PyObject obj) {
            if (!(state instanceof Map<?, ?> m)) {
                throw error("BUILD state for " + obj.className + " is not a dict (custom __setstate__ is not supported)");
            }
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!(e.getKey() instanceof String k)) {
                    throw error("attribute name of " + obj.className + " is not a string");
                }
                obj.attributes.put(k, e.getValue());
            }
        } else if (!(target instanceof Map<?, ?>)) {
            // An OrderedDict's state is its _metadata (version numbers); nothing else may be built.
            throw error("BUILD on " + describe(target) + " is not supported");
        }
    }

    private long[] longs(Object tuple, String what) {
        if (!(tuple instanceof PyTuple t)) {
            throw error("tensor " + what + " is not a tuple");
        }
        long[] out = new long[t.items().size()];
        for (int i = 0; i < out.length; i++) {
            if (!(t.items().get(i) instanceof Long v)) {
                throw error("tensor " + what + " holds a non-integer");
            }
            out[i] = v;
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> asMap(Object o) {
        if (o instanceof Map<?, ?> m) {
            return (Map<Object, Object>) m;
        }
        throw error("SETITEM(S) on " + describe(o) + ", not a dict");
    }

    @SuppressWarnings("unchecked")
    private List<Object> asList(Object o) {
        if (o instanceof ArrayList<?> l) {
            return (List<Object>) l;
        }
        throw error("APPEND(S) on " + describe(o) + ", not a list");
    }

    private void putPairs(Map<Object, Object> d, List<Object> items) {
        if (items.size() % 2 != 0) {
            throw error("odd number of items for a dict");
        }
        for (int i = 0; i < items.size(); i += 2) {
            Object k = items.get(i);
            if (k instanceof List<?> || k instanceof Map<?, ?>) {
                throw error("unhashable dict key " + describe(k));
            }
            if (k instanceof PyTuple) {
                // Hashing a tuple hashes what it holds, recursively: a deep or cyclic one overflows the stack.
                throw error("tuple dict keys are not supported (state-dict keys are strings)");
            }
            Object v = items.get(i + 1);
            d.put(k, v);
        }
    }

    private PyTuple tupleOf(int n) {
        if (stack.size() - floor() < n) {
            throw error("stack underflow building a " + n + "-tuple");
        }
        List<Object> items = new ArrayList<>(stack.subList(stack.size() - n, stack.size()));
        stack.subList(stack.size() - n, stack.size()).clear();
        return new PyTuple(java.util.Collections.unmodifiableList(items));
    }

    private List<Object> popMark() {
        if (marks.isEmpty()) {
            throw error("no MARK on the stack");
        }
        int m = marks.remove(marks.size() - 1);
        List<Object> items = new ArrayList<>(stack.subList(m + 1, stack.size()));
        stack.subList(m, stack.size()).clear();
        return items;
    }

    private int floor() {
        return marks.isEmpty() ? 0 : marks.get(marks.size() - 1) + 1;
    }

    private void push(Object o) {
        if (stack.size() >= MAX_STACK) {
            throw error("stack exceeds " + MAX_STACK + " values");
        }
        stack.add(o);
    }

    private Object pop() {
        if (stack.size() <= floor()) {
            throw error("stack underflow");
        }
        return stack.remove(stack.size() - 1);
    }

    private Object top() {
        if (stack.size() <= floor()) {
            throw error("stack underflow");
        }
        return stack.get(stack.size() - 1);
    }

    private Object memoGet(long index) {
        if (!memo.containsKey(index)) {
            throw error("memo entry " + index + " was never stored");
        }
        return memo.get(index);
    }

    private long long1() {
        int n = u8();
        if (n > 8) {
            throw error("LONG1 of " + n + " bytes does not fit 64 bits");
        }
        long at = take(n);
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = (v << 8) | (in.get(ValueLayout.JAVA_BYTE, at + i) & 0xff);
        }
        if (n > 0 && n < 8 && (in.get(ValueLayout.JAVA_BYTE, at + n - 1) & 0x80) != 0) {
            v -= 1L << (8 * n); // two's complement sign extension
        }
        return v;
    }

    private String line() {
        long start = pos;
        while (true) {
            if (pos - start > MAX_GLOBAL_LINE) {
                throw error("GLOBAL name longer than " + MAX_GLOBAL_LINE + " bytes");
            }
            if (u8() == '\n') {
                return new String(in.asSlice(start, pos - 1 - start).toArray(ValueLayout.JAVA_BYTE),
                        StandardCharsets.UTF_8);
            }
        }
    }

    private String utf8(long n) {
        return new String(bytes(n), StandardCharsets.UTF_8);
    }

    private byte[] bytes(long n) {
        return in.asSlice(take(n), n).toArray(ValueLayout.JAVA_BYTE);
    }

    private int u8() {
        return in.get(ValueLayout.JAVA_BYTE, take(1)) & 0xff;
    }

    private long u32() {
        return in.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), take(4)) & 0xffffffffL;
    }

    /** Consumes n bytes and returns where they start; a length beyond the remaining bytes is an error. */
    private long take(long n) {
        if (n < 0 || n > in.byteSize() - pos) {
            throw error("needs " + n + " bytes but only " + (in.byteSize() - pos) + " remain (truncated pickle?)");
        }
        long at = pos;
        pos += n;
        return at;
    }

    private static String describe(Object o) {
        return o == null ? "None" : o instanceof Global g ? g.qualified() : o.getClass().getSimpleName();
    }

    private WeightFileException error(String msg) {
        return new WeightFileException(where, "pickle byte " + opStart + ": " + msg);
    }
}
