package org.cxrclip.clip.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link ByteEncoder} against hand-derived values of Python's {@code bytes_to_unicode}. */
class ByteEncoderTest {

    @Test
    void printableBytesStandForThemselvesAndTheRestFollowU0100() {
        assertEquals('!', ByteEncoder.encode('!'));
        assertEquals(0, ByteEncoder.vocabIndex('!'));
        assertEquals('~', ByteEncoder.encode('~'));
        assertEquals(93, ByteEncoder.vocabIndex('~'), "33..126 are the first 94");
        assertEquals(94, ByteEncoder.vocabIndex(0xA1));
        assertEquals(106, ByteEncoder.vocabIndex(0xAE), "0xAD (soft hyphen) is skipped");
        assertEquals(187, ByteEncoder.vocabIndex(0xFF));
        assertEquals('\u0100', ByteEncoder.encode(0));
        assertEquals(188, ByteEncoder.vocabIndex(0));
        assertEquals('\u0120', ByteEncoder.encode(' '), "space is the familiar 'Ġ'");
        assertEquals('\u0143', ByteEncoder.encode(0xAD), "the 68th and last remapped byte");
        assertEquals(255, ByteEncoder.vocabIndex(0xAD));
    }

    @Test
    void isABijection() {
        Set<Character> seen = new HashSet<>();
        char[] order = ByteEncoder.charsInVocabOrder();
        for (int b = 0; b < 256; b++) {
            char c = ByteEncoder.encode(b);
            seen.add(c);
            assertEquals(b, ByteEncoder.decode(c));
            assertEquals(c, order[ByteEncoder.vocabIndex(b)]);
        }
        assertEquals(256, seen.size());
        assertEquals(-1, ByteEncoder.decode('\u0144'));
        assertEquals(-1, ByteEncoder.decode(' '));
    }
}
