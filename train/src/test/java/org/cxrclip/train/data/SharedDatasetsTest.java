package org.cxrclip.train.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import org.cxrclip.clip.image.ClipTransform;
import org.junit.jupiter.api.Test;
import org.cxrclip.engine.testing.SharedData;

/**
 * The two real sample sets in ../shared/data load as manifests with the counts their PROVENANCE files give,
 * and every image goes through the augmenting batch loader.
 */
class SharedDatasetsTest {
    private static Path labels(String set) {
        return SharedData.require("data/" + set + "/labels.csv");
    }

    @Test
    void nihSampleLoadsWithProvenanceCounts() throws IOException {
        Dataset d = ManifestDataset.load(labels("nih-cxr14"), LoadOptions.defaults().withFrontalOnly(true));
        assertEquals(621, d.size());
        assertEquals(621, d.summary().patients());
        assertEquals(15, d.labelNames().size());
        // PROVENANCE.md: Infiltration 123, No Finding 100, Atelectasis 92, Hernia 20, Edema 18
        assertEquals(123, d.positives()[d.labelNames().indexOf("Infiltration")]);
        assertEquals(100, d.positives()[d.labelNames().indexOf("No Finding")]);
        assertEquals(92, d.positives()[d.labelNames().indexOf("Atelectasis")]);
        assertEquals(20, d.positives()[d.labelNames().indexOf("Hernia")]);
        assertEquals(18, d.positives()[d.labelNames().indexOf("Edema")]);
        assertEquals(0, loadAll(d.withSamples(d.samples().subList(0, 64))));
    }

    @Test
    void covidSampleLoadsWithTextAndAllImagesDecode() throws IOException {
        Dataset d = ManifestDataset.load(labels("covid-cxr"), LoadOptions.defaults());
        assertEquals(275, d.size());
        assertEquals(16, d.labelNames().size());
        assertEquals("Severe ARDS. Person is intubated with an OG in place.", d.get(0).text());
        Dataset frontal = ManifestDataset.load(labels("covid-cxr"), LoadOptions.defaults().withFrontalOnly(true));
        assertEquals(275, frontal.size(), "views are PA, AP and AP Supine: all frontal");
        assertEquals(0, loadAll(d));
    }

    private static int loadAll(Dataset d) {
        ImagePipeline pipe = new ImagePipeline(new ClipTransform(224), RandomAffine.paper(), 1);
        int n = 0;
        try (BatchLoader l = new BatchLoader(d, pipe, 32, 0, true, 1, 2, 2)) {
            while (l.hasNext()) n += l.next().size();
            assertEquals(d.size(), n);
            return l.skipped().size();
        }
    }
}
