package org.cxrclip.train.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.cxrclip.train.data.Views.Kind;
import org.junit.jupiter.api.Test;

/** View strings as MIMIC, CheXpert and the sample sets write them (REFERENCE.md §5.1). */
class ViewsTest {
    @Test
    void classifiesTheDataSetsViewStrings() {
        for (String v : new String[] {"PA", "AP", "LAO", "RAO", "AP AXIAL", "AP LLD", "PA RLD", "AP Supine", "ap", " PA ",
                "postero-anterior", "antero-posterior", "FRONTAL"})
            assertEquals(Kind.FRONTAL, Views.classify(v), v);
        for (String v : new String[] {"LATERAL", "LL", "XTABLE LATERAL", "SWIMMERS", "left lateral", "Lateral"})
            assertEquals(Kind.LATERAL, Views.classify(v), v);
        for (String v : new String[] {"", null, "OBLIQUE", "APPLE"})
            assertEquals(Kind.UNKNOWN, Views.classify(v), String.valueOf(v));
        assertEquals(Kind.FRONTAL, Views.classify("", "antero-posterior"), "blank ViewPosition falls back to the code meaning");
        assertEquals(Kind.LATERAL, Views.classify("LL", "antero-posterior"), "the first known view wins");
    }
}
