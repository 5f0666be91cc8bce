package org.cxrclip.train.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Report cleaning, sections, sentence subsampling and label text on hand-worked examples. */
class ReportTextTest {
    // A MIMIC-CXR style report (layout of the public sample p10000032/s50414267, words changed).
    static final String REPORT = "                                 FINAL REPORT\n"
            + " EXAMINATION:  CHEST (PA AND LAT)\n \n"
            + " INDICATION:  ___F with new onset ascites  // eval for infection\n \n"
            + " TECHNIQUE:  Chest PA and lateral\n \n"
            + " COMPARISON:  None.\n \n"
            + " FINDINGS: \n \n"
            + " There is no focal consolidation, pleural effusion or pneumothorax.  Bilateral\n"
            + " nodular opacities are seen.\n \n"
            + " IMPRESSION: \n \n"
            + " No acute cardiopulmonary process.\n \n"
            + " RECOMMENDATION(S):  Follow-up in ___ months.\n";

    @Test
    void impressionFollowsCheXzeroRule() {
        assertEquals("No acute cardiopulmonary process.", ReportText.impression(REPORT));
        assertEquals("NO IMPRESSION", ReportText.impression("FINDINGS: clear lungs."));
        // the last IMPRESSION: wins; NOTIFICATION: ends it
        assertEquals("b c", ReportText.impression("IMPRESSION: a IMPRESSION: b c NOTIFICATION: called"));
    }

    @Test
    void findingsEndAtTheNextHeader() {
        assertEquals("There is no focal consolidation, pleural effusion or pneumothorax. Bilateral nodular opacities are seen.",
                ReportText.findings(REPORT));
        assertEquals("", ReportText.findings("IMPRESSION: none"));
    }

    @Test
    void cleanFollowsThesisPreprocessCap() {
        // Worked by hand through the steps listed in ReportText's header.
        assertEquals("INDICATION: _F with new onset ascites // eval for infection FINDINGS: There is no focal "
                + "consolidation, pleural effusion or pneumothorax. Bilateral nodular opacities are seen. IMPRESSION: "
                + "No acute cardiopulmonary process. RECOMMENDATION(S): Follow-up in _ months.", ReportText.clean(REPORT));
        // ".\n" → "." joins sentences without a space, as the thesis' code does
        assertEquals("Patient is .Heart normal.", ReportText.clean("Patient is _ year old.\nHeart normal."));
        assertEquals("A man with cough.", ReportText.clean("A ___-year-old man with cough."));
        assertEquals("CHEST: clear.FINAL ADDENDUM text", ReportText.clean("CHEST: clear.\nFINAL ADDENDUM ADDENDUM text"));
    }

    @Test
    void subsamplerKeepsRoundedEightyPercentOfCleanSentences() {
        SentenceSubsampler s = new SentenceSubsampler();
        String text = "Heart size is normal. No effusion. Ok. Lungs are clear_. __. Mild atelectasis at the bases. "
                + "No pneumothorax.";
        List<String> sentences = s.sentences(text);
        assertEquals(List.of("Heart size is normal", "No effusion", "Lungs are clear", "Mild atelectasis at the bases",
                "No pneumothorax"), sentences, "'Ok' (< 5 chars) and '__' dropped, '_' removed");
        Set<String> outputs = new HashSet<>();
        for (long seed = 0; seed < 200; seed++) {
            String out = s.apply(text, seed);
            String[] kept = out.split("\\. ");
            assertEquals(4, kept.length, out);  // round(0.8 · 5) = 4
            assertEquals(4, new HashSet<>(List.of(kept)).size());
            assertTrue(sentences.containsAll(List.of(kept)), out);
            assertEquals(out, s.apply(text, seed), "same seed, same text");
            outputs.add(out);
        }
        assertTrue(outputs.size() > 50, "shuffled and subsampled: " + outputs.size() + " distinct of 120 possible");
        assertEquals(2, s.apply("First sentence. Second sentence. Third one", 1).split("\\. ").length); // round(2.4)
        assertEquals("Alone here", s.apply("Alone here.", 3));  // round(0.8) = 1
        assertEquals("", s.apply("", 3));
        assertNotEquals(SentenceSubsampler.seed(1, 0, 5), SentenceSubsampler.seed(1, 1, 5));
    }

    @Test
    void labelTextListsPositivesLowerCase() {
        LabelText t = LabelText.defaults();
        List<String> names = List.of("Adenopathy", "Pleural_Thickening", "Pleural Effusion", "No Finding");
        assertEquals("adenopathy is present, pleural effusion is present", t.text(new float[] {1, 0, 1, 0}, names));
        assertEquals("pleural thickening is present", t.text(new float[] {0, 1, Float.NaN, 0}, names));
        assertEquals("no finding", t.text(new float[] {0, 0, 0, 1}, names));
        assertEquals("normal study", new LabelText("{}", "; ", "normal study").text(new float[] {0, 0, 0, 0}, names));
        assertEquals("findings: adenopathy; pleural effusion",
                "findings: " + new LabelText("{}", "; ", "-").text(new float[] {1, 0, 1, 0}, names));
        assertThrows(IllegalArgumentException.class, () -> new LabelText("present", ", ", "x"));
    }
}
