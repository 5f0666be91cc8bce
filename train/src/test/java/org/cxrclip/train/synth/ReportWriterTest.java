package org.cxrclip.train.synth;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Locale;
import org.cxrclip.engine.Rng;
import org.junit.jupiter.api.Test;

class ReportWriterTest {
    /** Words a reader would look for per class (lower case): one must appear when the class is present. */
    private static final String[][] KEYWORDS = {
            {"adenopathy", "lymph"}, {"atelectasis"}, {"azygos"}, {"calcification", "calcified"},
            {"cardiomegaly", "enlarged cardiac", "enlargement of the heart"}, {"clavic"}, {"consolidation"},
            {"edema"}, {"emphysema", "hyperinflation", "emphysematous"}, {"mediastin"}, {"fibrosis", "fibrotic"},
            {"fissure"}, {"fracture"}, {"granuloma"}, {"hernia"}, {"hydropneumothorax"}, {"infarct"},
            {"infiltrat"}, {"kyphosis", "kyphoscoliosis", "curvature"}, {"lobar", "collapse"}, {"lesion"},
            {"opacity"}, {"mass"}, {"nodul"}, {"clear", "normal"}, {"effusion"}, {"pleural"}, {"pleural thickening", "thickening of the lateral pleura"},
            {"pneumomediastinum", "mediastinal air", "outlining the mediastinum"}, {"pneumonia", "infectious"},
            {"free air", "pneumoperitoneum"}, {"pneumothorax"}, {"embolism"}, {"hypertension", "pulmonary arter"},
            {"rib fracture"}, {"round"}, {"subcutaneous", "soft tissue emphysema"},
            {"tube", "line", "leads", "pacemaker"}, {"tortuous", "tortuosity", "unfolded"}, {"tuberculosis"}};

    @Test
    void positivesAreMentionedAbsentOnesSometimesNegatedNeverContradicted() {
        CxrLtClasses.Sampler sampler = CxrLtClasses.sampler(0.02);
        Rng rng = new Rng(21);
        int negated = 0, hedged = 0, positives = 0, n = 2000;
        for (int i = 0; i < n; i++) {
            float[] y = sampler.sample(rng);
            String text = ReportWriter.write(y, 1 + rng.nextInt(31), rng);
            String lower = text.toLowerCase(Locale.ROOT);
            assertTrue(text.startsWith("FINDINGS: ") && text.contains(" IMPRESSION: "), text);
            for (int c = 0; c < CxrLtClasses.COUNT; c++) {
                if (y[c] != 1) continue;
                positives++;
                boolean found = false;
                for (String k : KEYWORDS[c]) found |= lower.contains(k);
                assertTrue(found, CxrLtClasses.get(c).name() + " present but not mentioned: " + text);
            }
            // negations only of absent findings
            if (y[CxrLtClasses.PNEUMOTHORAX] == 1 || y[CxrLtClasses.HYDROPNEUMOTHORAX] == 1)
                assertFalse(lower.contains("no pneumothorax") || lower.contains("no evidence of pneumothorax"), text);
            if (y[CxrLtClasses.PLEURAL_EFFUSION] == 1) assertFalse(lower.contains("no pleural effusion"), text);
            if (y[CxrLtClasses.CARDIOMEGALY] == 1) assertFalse(lower.contains("heart size is normal"), text);
            if (y[CxrLtClasses.RIB_FRACTURE] == 1) assertFalse(lower.contains("no acute fracture"), text);
            if (lower.matches(".*(\\. |: )(no |there is no |the mediastinum is not|heart size is normal).*")) negated++;
            if (y[CxrLtClasses.NORMAL] == 1)
                assertTrue(lower.matches(".*impression: (no acute|normal chest).*"), text);
            for (String h : new String[] {"possible ", "cannot exclude", "may represent", "questionable", "is not excluded"})
                if (lower.contains(h)) hedged++;
            assertFalse(lower.contains("possible a ") || lower.contains("questionable a "), text);
        }
        assertTrue(negated > 0.9 * n, "most reports negate something: " + negated);
        assertTrue(hedged > 0.04 * positives && hedged < 0.25 * positives, "hedged " + hedged + " of " + positives);
    }

    @Test
    void deviceSentencesFollowTheDeviceMask() {
        float[] y = new float[CxrLtClasses.COUNT];
        y[CxrLtClasses.SUPPORT_DEVICES] = 1;
        String t = ReportWriter.write(y, Devices.ET_TUBE | Devices.PACEMAKER, new Rng(1));
        assertTrue(t.contains("Endotracheal tube") && t.contains("pacemaker"), t);
        assertFalse(t.contains("Nasogastric") || t.contains("central line") || t.contains("ECG"), t);
    }
}
