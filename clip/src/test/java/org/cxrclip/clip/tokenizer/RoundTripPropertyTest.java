package org.cxrclip.clip.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import org.junit.jupiter.api.Test;

/** decode(encode(x)) on lower-case ASCII text with normalised whitespace (QuickTheories). */
class RoundTripPropertyTest {

    @Test
    void lettersAndSpacesComeBackWithATrailingSpacePerWord() {
        SimpleTokenizer tok = SharedVocabulary.tokenizer();
        qt().withExamples(500)
                .forAll(lists().of(strings().betweenCodePoints('a', 'z').ofLengthBetween(1, 14)).ofSizeBetween(1, 12))
                .checkAssert(words -> {
                    String text = String.join(" ", words);
                    assertEquals(text + " ", tok.decode(tok.encode(text)), text);
                });
    }

    @Test
    void printableAsciiKeepsEveryNonSpaceCharacter() {
        SimpleTokenizer tok = SharedVocabulary.tokenizer();
        // '&' is left out: html-unescaping legitimately changes "&lt;" and friends.
        qt().withExamples(500)
                .forAll(lists().of(strings().betweenCodePoints('!', '~').ofLengthBetween(1, 10)).ofSizeBetween(1, 10))
                .checkAssert(words -> {
                    String text = String.join(" ", words).replace('&', '+').toLowerCase();
                    String decoded = tok.decode(tok.encode(text));
                    assertEquals(text.replace(" ", ""), decoded.replace(" ", ""), text);
                });
    }
}
