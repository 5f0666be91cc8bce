package org.cxrclip.clip.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TorchCheckpointReaderTest {
    @TempDir
    Path dir;

    /** As openai/CLIP convert_weights: fp16 for Conv/Linear/MHA weights and the two projections. */
    static Set<String> halfKeys(StateDict sd) {
        Set<String> h = new HashSet<>();
        for (String k : sd.keys()) {
            if (k.endsWith("in_proj_weight") || k.endsWith("in_proj_bias") || k.contains("out_proj.") || k.contains("mlp.c_")
                    || k.equals("visual.conv1.weight") || k.equals("visual.proj") || k.equals("text_projection")) {
                h.add(k);
            }
        }
        return h;
    }

    @Test
    void stateDictArchiveRoundTripsWithMixedPrecision() throws IOException {
        StateDict sd = TinyClip.random(4);
        Set<String> half = halfKeys(sd);
        Path f = dir.resolve("sd.pt");
        TorchArchiveWriter.writeStateDict(f, sd, half, false);
        StateDict back = WeightFiles.open(f);
        assertEquals(List.copyOf(sd.keys()), List.copyOf(back.keys()));
        for (WeightTensor t : sd.tensors()) {
            boolean h = half.contains(t.name());
            float[] expected = h ? TinyClip.roundedToHalf(t.toFloats()) : t.toFloats();
            assertEquals(h ? WeightDType.F16 : WeightDType.F32, back.require(t.name()).dtype());
            assertArrayEquals(expected, back.require(t.name(), t.shape()).toFloats(), 0f, t.name());
        }
        assertEquals(TinyClip.CONFIG, ClipConfig.inferAndValidate(back));
    }

    @Test
    void deflatedPickleAndTrainingWrapperAndModulePrefixAreRead() throws IOException {
        StateDict sd = TinyClip.random(5);
        StateDict prefixed = new StateDict("p");
        sd.tensors().forEach(t -> prefixed.put(t.renamed("module." + t.name())));
        Path f = dir.resolve("deflated.pt");
        TorchArchiveWriter.writeStateDict(f, prefixed, Set.of(), true);
        StateDict back = TorchCheckpointReader.read(f);
        assertArrayEquals(sd.require("visual.proj").toFloats(), back.require("visual.proj").toFloats(), 0f);

        // {"epoch": 3, "state_dict": OrderedDict(...)} as training scripts save it.
        TorchArchiveWriter w = new TorchArchiveWriter("ckpt");
        PickleWriter p = new PickleWriter().proto(2).emptyDict().mark().str("epoch").integer(3).str("state_dict")
                .global("collections", "OrderedDict").emptyTuple().reduce().mark();
        p.str("logit_scale").tensor("FloatStorage", "0", 1, 0, new int[0], new long[0]);
        p.setitems().setitems().stop();
        w.entry("data.pkl", p.bytes()).entry("data/0", TorchArchiveWriter.storage(new float[] {4.6052f}, false,
                ByteOrder.LITTLE_ENDIAN));
        Path g = dir.resolve("wrapped.pt");
        w.write(g);
        assertArrayEquals(new float[] {4.6052f}, TorchCheckpointReader.read(g).require("logit_scale").toFloats());
    }

    @Test
    void stridesOffsetsSharedStoragesAndBigEndianByHand() throws IOException {
        float[] storage = new float[12];
        for (int i = 0; i < 12; i++) {
            storage[i] = i;
        }
        for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
            TorchArchiveWriter w = new TorchArchiveWriter("views");
            PickleWriter p = new PickleWriter().proto(2).global("collections", "OrderedDict").emptyTuple().reduce().mark();
            // a[i][j] = storage[1 + i + 3j]: a transposed, offset view; b = storage[10:12]; both share storage "0".
            p.str("a").tensor("FloatStorage", "0", 12, 1, new int[] {3, 2}, new long[] {1, 3});
            p.str("b").tensor("FloatStorage", "0", 12, 10, new int[] {2}, new long[] {1});
            p.str("c").tensor("HalfStorage", "1", 4, 1, new int[] {2, 1}, new long[] {2, 1});
            p.setitems().stop();
            w.entry("data.pkl", p.bytes()).entry("data/0", TorchArchiveWriter.storage(storage, false, order))
                    .entry("data/1", TorchArchiveWriter.storage(new float[] {9, 0.5f, 7, -1.5f}, true, order))
                    .entry("byteorder", (order == ByteOrder.BIG_ENDIAN ? "big" : "little").getBytes());
            Path f = dir.resolve("views-" + order + ".pt");
            w.write(f);
            StateDict sd = TorchCheckpointReader.read(f);
            assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, sd.require("a", 3, 2).toFloats());
            assertArrayEquals(new float[] {10, 11}, sd.require("b", 2).toFloats());
            assertArrayEquals(new float[] {0.5f, -1.5f}, sd.require("c", 2, 1).toFloats());
        }
    }

    /**
     * Zero strides let a view outgrow its storage, as torch.save keeps expanded tensors. Found by reading the view
     * checks while fuzzing (random mutations rarely make two strides zero): a few pickle bytes asked for a float[]
     * of 2^32 elements, an IllegalStateException or OutOfMemoryError that named no file.
     */
    @Test
    void broadcastViewsAreReadButCannotDemandHugeArrays() throws IOException {
        PickleWriter p = new PickleWriter().proto(2).global("collections", "OrderedDict").emptyTuple().reduce().mark();
        p.str("rows").tensor("FloatStorage", "0", 3, 0, new int[] {2, 3}, new long[] {0, 1});
        p.str("huge").tensor("FloatStorage", "0", 3, 0, new int[] {65536, 65536}, new long[] {0, 0});
        p.str("big").tensor("FloatStorage", "0", 3, 0, new int[] {4096, 8192}, new long[] {0, 0});
        p.setitems().stop();
        TorchArchiveWriter w = new TorchArchiveWriter("bcast");
        w.entry("data.pkl", p.bytes()).entry("data/0", TorchArchiveWriter.storage(new float[] {1, 2, 3}, false,
                ByteOrder.LITTLE_ENDIAN));
        Path f = dir.resolve("bcast.pt");
        w.write(f);
        assertMessage(f, "bcast.pt: key 'huge' has 4294967296 elements [65536, 65536], more than one array can hold");

        p = new PickleWriter().proto(2).global("collections", "OrderedDict").emptyTuple().reduce().mark();
        p.str("rows").tensor("FloatStorage", "0", 3, 0, new int[] {2, 3}, new long[] {0, 1});
        p.str("big").tensor("FloatStorage", "0", 3, 0, new int[] {4096, 8192}, new long[] {0, 0});
        w.entry("data.pkl", p.setitems().stop().bytes());
        w.write(f);
        assertMessage(f, "bcast.pt: key 'big' is a view of 33554432 elements [4096, 8192] over a storage of only 3");

        p = new PickleWriter().proto(2).global("collections", "OrderedDict").emptyTuple().reduce().mark();
        p.str("rows").tensor("FloatStorage", "0", 3, 0, new int[] {2, 3}, new long[] {0, 1});
        w.entry("data.pkl", p.setitems().stop().bytes());
        w.write(f);
        assertArrayEquals(new float[] {1, 2, 3, 1, 2, 3}, TorchCheckpointReader.read(f).require("rows", 2, 3).toFloats());
    }

    @Test
    void torchScriptArchiveWalksModulesAndSkipsNonWeights() throws IOException {
        StateDict sd = TinyClip.random(6);
        Set<String> half = halfKeys(sd);
        Path f = dir.resolve("jit.pt");
        TorchArchiveWriter.writeTorchScript(f, sd, half);
        StateDict raw = TorchCheckpointReader.read(f);
        assertFalse(raw.keys().stream().anyMatch(k -> k.endsWith("attn_mask")), "attn_mask is not a parameter");
        assertFalse(raw.contains("input_resolution"));
        assertEquals(new HashSet<>(sd.keys()), new HashSet<>(raw.keys()));
        for (WeightTensor t : sd.tensors()) {
            float[] expected = half.contains(t.name()) ? TinyClip.roundedToHalf(t.toFloats()) : t.toFloats();
            assertArrayEquals(expected, raw.require(t.name(), t.shape()).toFloats(), 0f, t.name());
        }
        assertEquals(TinyClip.CONFIG, ClipConfig.inferAndValidate(raw));
    }

    @Test
    void refusesGlobalsOffTheAllowList() throws IOException {
        TorchArchiveWriter w = new TorchArchiveWriter("evil");
        w.entry("data.pkl", new PickleWriter().proto(2).global("os", "system").str("echo pwned").op(0x85).reduce().stop()
                .bytes());
        Path f = dir.resolve("evil.pt");
        w.write(f);
        assertMessage(f, "evil.pt", "os.system", "allow-list");
    }

    @Test
    void malformedPicklesFailWithTheirOffset() throws IOException {
        assertMessage(archive("memo.pt", new PickleWriter().proto(2).binget(7).stop().bytes()), "memo.pt",
                "memo entry 7 was never stored");
        assertMessage(archive("short.pt", new PickleWriter().proto(2).op('X').op(0xff).op(0xff).op(0xff).op(0x7f).bytes()),
                "short.pt", "only 0 remain");
        assertMessage(archive("underflow.pt", new PickleWriter().proto(2).tuple().stop().bytes()), "no MARK");
        assertMessage(archive("nostop.pt", new PickleWriter().proto(2).emptyDict().bytes()), "truncated pickle");
        PickleWriter big = new PickleWriter().proto(2).global("collections", "OrderedDict").emptyTuple().reduce().mark();
        big.str("w").tensor("FloatStorage", "0", 1000, 0, new int[] {1000}, new long[] {1}).setitems().stop();
        assertMessage(archive("numel.pt", big.bytes()), "numel.pt", "storage '0' claims 1000");
        PickleWriter reach = new PickleWriter().proto(2).global("collections", "OrderedDict").emptyTuple().reduce().mark();
        reach.str("w").tensor("FloatStorage", "0", 2, 1, new int[] {2}, new long[] {1}).setitems().stop();
        assertMessage(archive("reach.pt", reach.bytes()), "reach.pt", "key 'w'", "reaches element 2");
    }

    /**
     * Lists reach themselves through the memo. Printing one in a message, or hashing a tuple key that holds one,
     * recursed until the stack overflowed (found by reading the unpickler's messages after the fuzz runs).
     */
    @Test
    void cyclicValuesNeitherHangMessagesNorHashing() throws IOException {
        // L = []; T = (L,); L.append(T); then T as a persistent id: T -> L -> T -> ...
        PickleWriter cyclic = new PickleWriter().proto(2).op(']').binput(0).mark().binget(0).tuple().binput(1).op('a')
                .op('0').binget(1).binpersid().stop();
        assertMessage(archive("cycle.pt", cyclic.bytes()), "cycle.pt", "persistent id ([([…])]) is not a (\"storage\"");
        PickleWriter tupleKey = new PickleWriter().proto(2).emptyDict().mark().mark().op(']').tuple().integer(2)
                .setitems().stop();
        assertMessage(archive("key.pt", tupleKey.bytes()), "key.pt", "tuple dict keys are not supported");
    }

    @Test
    void truncatedArchiveIsReportedNotAnIndexError() throws IOException {
        Path f = dir.resolve("sd.pt");
        TorchArchiveWriter.writeStateDict(f, TinyClip.random(7), Set.of(), false);
        byte[] all = Files.readAllBytes(f);
        Path cut = dir.resolve("cut.pt");
        Files.write(cut, java.util.Arrays.copyOf(all, all.length / 2));
        WeightFileException e = assertThrows(WeightFileException.class, () -> WeightFiles.open(cut));
        assertTrue(e.getMessage().contains("cut.pt") && e.getMessage().contains("truncated"), e.getMessage());
    }

    private Path archive(String name, byte[] pkl) throws IOException {
        TorchArchiveWriter w = new TorchArchiveWriter("bad");
        w.entry("data.pkl", pkl).entry("data/0", new byte[8]);
        Path f = dir.resolve(name);
        w.write(f);
        return f;
    }

    private static void assertMessage(Path f, String... parts) {
        WeightFileException e = assertThrows(WeightFileException.class, () -> TorchCheckpointReader.read(f));
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), () -> "'" + e.getMessage() + "' lacks '" + p + "'");
        }
    }
}
