package org.cxrclip.clip.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
    @TempDir
    Path dir;

    @Test
    void roundTripIsBitExactInOrderWithMetadataAndAlignedHeader() throws IOException {
        StateDict sd = TinyClip.random(1);
        Path f = dir.resolve("tiny.safetensors");
        SafetensorsWriter.write(f, sd, Map.of("format", "pt", "note", "quote \" and \\ and \n"));
        StateDict back = SafetensorsReader.read(f);
        assertEquals(List.copyOf(sd.keys()), List.copyOf(back.keys()));
        for (WeightTensor t : sd.tensors()) {
            WeightTensor b = back.require(t.name(), t.shape());
            assertEquals(WeightDType.F32, b.dtype());
            assertArrayEquals(t.toFloats(), b.toFloats(), 0f, t.name());
        }
        assertEquals("quote \" and \\ and \n", SafetensorsReader.metadata(f).get("note"));
        long n = ByteBuffer.wrap(Files.readAllBytes(f), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, (8 + n) % 8);
        assertEquals(TinyClip.CONFIG, ClipConfig.inferAndValidate(back));
        assertEquals(TinyClip.CONFIG.parameterCount(), back.parameterCount());
        assertEquals(8 + n + 4 * back.parameterCount(), Files.size(f));
    }

    @Test
    void decodesF16Bf16AndI64ByHand() throws IOException {
        // F16 0x3C00 = 1, 0xC000 = -2, 0x3555 = 0.333251953125; BF16 0x3F80 = 1, 0x4049 = 3.140625; I64 7, -3.
        ByteBuffer data = ByteBuffer.allocate(6 + 4 + 16).order(ByteOrder.LITTLE_ENDIAN);
        data.putShort((short) 0x3C00).putShort((short) 0xC000).putShort((short) 0x3555);
        data.putShort((short) 0x3F80).putShort((short) 0x4049);
        data.putLong(7).putLong(-3);
        Path f = write("mixed.safetensors", "{\"h\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[0,6]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2,1],\"data_offsets\":[6,10]},"
                + "\"i\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[10,26]}}", data.array());
        StateDict sd = SafetensorsReader.read(f);
        assertArrayEquals(new float[] {1f, -2f, 0.333251953125f}, sd.require("h").toFloats());
        assertArrayEquals(new float[] {1f, 3.140625f}, sd.require("b", 2, 1).toFloats());
        assertArrayEquals(new float[] {7f, -3f}, sd.require("i").toFloats());
        assertEquals(WeightDType.BF16, sd.require("b").dtype());
    }

    @Test
    void rejectsHugeHeaderClaimWithoutAllocating() throws IOException {
        Path f = dir.resolve("huge.safetensors");
        Files.write(f, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 60).array());
        assertMessage(f, "huge.safetensors", "header claims 1152921504606846976 bytes");
    }

    @Test
    void rejectsBadOffsetsAndSizesNamingFileAndKey() throws IOException {
        byte[] eight = new byte[8];
        assertMessage(write("past.safetensors", "{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", eight),
                "past.safetensors", "key 'w'", "past the end");
        assertMessage(write("order.safetensors", "{\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,4]}}", eight),
                "key 'w'", "out of order");
        assertMessage(write("overlap.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", eight), "key 'b'", "overlapping key 'a'");
        assertMessage(write("count.safetensors", "{\"w\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[0,8]}}", eight),
                "key 'w'", "has 8 bytes", "needs 3 x 2");
        assertMessage(write("dtype.safetensors", "{\"w\":{\"dtype\":\"C64\",\"shape\":[1],\"data_offsets\":[0,8]}}", eight),
                "key 'w'", "unsupported dtype C64");
        assertMessage(write("json.safetensors", "{\"w\":{\"dtype\":\"F32\",", eight), "json.safetensors", "JSON header");
    }

    @Test
    void rejectsTruncatedFiles() throws IOException {
        StateDict sd = TinyClip.random(2);
        Path f = dir.resolve("full.safetensors");
        SafetensorsWriter.write(f, sd, Map.of());
        byte[] all = Files.readAllBytes(f);
        Path cut = dir.resolve("cut.safetensors");
        Files.write(cut, java.util.Arrays.copyOf(all, all.length - 3));
        assertMessage(cut, "cut.safetensors", "ln_final.bias", "past the end");
        Files.write(cut, java.util.Arrays.copyOf(all, 5));
        assertMessage(cut, "cut.safetensors", "truncated");
    }

    @Test
    void atomicWriteReplacesAndLeavesNoTemporaryFiles() throws IOException {
        Path f = dir.resolve("w.safetensors");
        Files.writeString(f, "old");
        SafetensorsWriter.write(f, TinyClip.random(3), Map.of());
        assertEquals(TinyClip.CONFIG, ClipConfig.infer(SafetensorsReader.read(f)));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }

    private Path write(String name, String json, byte[] data) throws IOException {
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        Path f = dir.resolve(name);
        Files.write(f, b.array());
        return f;
    }

    static void assertMessage(Path f, String... parts) {
        WeightFileException e = assertThrows(WeightFileException.class, () -> SafetensorsReader.read(f));
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), () -> "'" + e.getMessage() + "' lacks '" + p + "'");
        }
    }
}
