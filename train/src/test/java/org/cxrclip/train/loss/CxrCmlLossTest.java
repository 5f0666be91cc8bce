package org.cxrclip.train.loss;

import static org.cxrclip.engine.testing.OpHarness.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;
import org.cxrclip.engine.backend.Backends;
import org.cxrclip.engine.testing.OpHarness;
import org.junit.jupiter.api.Test;

class CxrCmlLossTest {
    private final Backend cpu = Backends.cpu();

    @Test
    void isContrastivePlusLambdaTimesTripletInValueAndGradient() {
        float[] imgV = OpHarness.values(31, 24), txtV = OpHarness.values(32, 24);
        int[] labels = {0, 0, 1, 1, 2, 1};
        var triplet = new TripletLoss(0.5f, TripletLoss.Mining.BATCH_ALL, true);
        float lambda = 2.5f;

        Tensor img = Tensor.of(cpu, imgV, 6, 4).requiresGrad(true), txt = Tensor.of(cpu, txtV, 6, 4);
        Tensor scale = Tensor.of(cpu, new float[] {2.0f}).requiresGrad(true);
        var parts = new CxrCmlLoss(new InfoNceLoss(), triplet, lambda).forward(img, txt, scale, labels);
        parts.total().backward();

        // The two terms computed separately: the gradient of the sum is gc + λ·gm.
        Tensor img1 = Tensor.of(cpu, imgV, 6, 4).requiresGrad(true), s1 = Tensor.of(cpu, new float[] {2.0f}).requiresGrad(true);
        Tensor lc = new InfoNceLoss().forward(img1, Tensor.of(cpu, txtV, 6, 4), s1);
        lc.backward();
        Tensor img2 = Tensor.of(cpu, imgV, 6, 4).requiresGrad(true);
        Tensor lm = triplet.forward(img2, labels);
        lm.backward();

        assertEquals(lc.item(), parts.contrastive(), 1e-6f);
        assertEquals(lm.item(), parts.metric(), 1e-6f);
        assertEquals(lc.item() + lambda * lm.item(), parts.total().item(), 1e-5f);
        float[] expected = img1.grad().toArray(), gm = img2.grad().toArray();
        for (int i = 0; i < expected.length; i++) expected[i] += lambda * gm[i];
        assertClose("image gradient", expected, img.grad().toArray(), 1e-5, 1e-6);
        assertEquals(s1.grad().item(), scale.grad().item(), 1e-6f);
    }
}
