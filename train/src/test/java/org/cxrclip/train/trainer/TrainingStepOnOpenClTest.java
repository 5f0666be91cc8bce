package org.cxrclip.train.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.cxrclip.clip.model.Clip;
import org.cxrclip.clip.model.ClipPresets;
import org.cxrclip.clip.weights.ClipConfig;
import org.cxrclip.engine.Rng;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;
import org.cxrclip.engine.backend.Backends;
import org.cxrclip.engine.backend.opencl.OpenClBackend;
import org.cxrclip.engine.testing.OpHarness;
import org.cxrclip.train.loss.TripletLoss;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A whole CLS training step of the tiny CLIP (both towers forward, InfoNCE, backward, global gradient-norm clip,
 * AdamW, logit-scale clamp) on the OpenCL backend computes what the CPU backend computes, and stays on the
 * device: from the second step on it copies only the batch in and three scalars out (loss, gradient norm, logit
 * scale), however deep the model. Runs when CXRCLIP_TEST_OPENCL=1, as in CI.
 *
 * <p>Tolerances: loss and gradient norm are sums over O(10⁴) float products in different orders on the two
 * backends, 1e-4 relative. After AdamW a parameter moves by about lr·m/√v; where a gradient element is nearly
 * zero, m/√v is a ratio of two tiny noisy numbers, so the two backends may move such an element by anything up
 * to lr each step: parameters must agree to 2·lr·steps absolute (the scale of one step is what a wrong
 * kernel would get wrong everywhere, which the element-wise kernel test in the engine catches exactly).
 */
class TrainingStepOnOpenClTest {
    private static final double LR = 1e-4;
    private static final int STEPS = 2, BATCH = 4, CML_BATCH = 8;
    /** Pseudo-labels of a CML batch: three clusters, each with a positive pair, and a singleton (no positive). */
    private static final int[] PSEUDO = {0, 1, 0, 2, 1, 0, 3, 2};
    private static Backend cl;

    @BeforeAll
    static void open() {
        Assumptions.assumeTrue(OpHarness.openClRequested(),
                "OpenCL tests not requested (set CXRCLIP_TEST_OPENCL=1 or -Dcxrclip.test.opencl=true)");
        cl = OpHarness.openCl();
    }

    private static ContrastiveTrainer trainer(Backend b, ClipConfig config) {
        return trainer(b, config, TrainConfig.defaults(TrainConfig.Mode.CLS).withBatch(BATCH));
    }

    /** A CXR-CML trainer (InfoNCE + triplet loss on pseudo-labels given to each step) with the given mining. */
    private static ContrastiveTrainer cmlTrainer(Backend b, ClipConfig config, TripletLoss.Mining mining) {
        TrainConfig.Cml cml = new TrainConfig.Cml(4, TrainConfig.Family.GAUSSIAN, 4, 1f, 0.2f, mining, 0, 0);
        return trainer(b, config, TrainConfig.defaults(TrainConfig.Mode.CML).withBatch(CML_BATCH).withCml(cml));
    }

    private static ContrastiveTrainer trainer(Backend b, ClipConfig config, TrainConfig base) {
        TrainConfig tc = base.withLr(LR).withAugment(false);
        var t = new ContrastiveTrainer(new Clip(b, config, 11), null, tc);
        t.setSchedule(org.cxrclip.train.optim.LrSchedule.constant(LR));
        return t;
    }

    private static float[] pixels(int r) {
        return pixels(r, BATCH);
    }

    private static float[] pixels(int r, int batch) {
        return OpHarness.values(5, batch * 3 * r * r);
    }

    private static int[][] tokens(ClipConfig c) {
        return tokens(c, BATCH);
    }

    private static int[][] tokens(ClipConfig c, int batch) {
        Rng rng = new Rng(9);
        int[][] t = new int[batch][c.contextLength()];
        for (int i = 0; i < batch; i++) {
            int len = 4 + rng.nextInt(10);
            t[i][0] = c.vocabSize() - 2;
            for (int j = 1; j < len - 1; j++) t[i][j] = rng.nextInt(c.vocabSize() - 2);
            t[i][len - 1] = c.vocabSize() - 1;
        }
        return t;
    }

    @Test
    void stepsOnOpenClEqualTheCpu() {
        ClipConfig config = ClipPresets.get("tiny");
        int r = config.imageResolution();
        ContrastiveTrainer cpu = trainer(Backends.cpu(), config), dev = trainer(cl, config);
        int[][] tokens = tokens(config);
        for (int s = 0; s < STEPS; s++) {
            var a = cpu.step(Tensor.of(Backends.cpu(), pixels(r), BATCH, 3, r, r), tokens, null, 0);
            var b = dev.step(Tensor.of(cl, pixels(r), BATCH, 3, r, r), tokens, null, 0);
            assertEquals(a.loss(), b.loss(), 1e-4 * Math.abs(a.loss()), "loss at step " + s);
            assertEquals(a.gradNorm(), b.gradNorm(), 1e-4 * a.gradNorm(), "gradient norm at step " + s);
            assertEquals(a.logitScale(), b.logitScale(), 1e-6, "logit scale at step " + s);
        }
        Map<String, Tensor> pc = cpu.model().namedParameters(), pd = dev.model().namedParameters();
        assertEquals(pc.keySet(), pd.keySet());
        double atol = 2 * LR * STEPS;
        for (String name : pc.keySet())
            OpHarness.assertClose(name + " after " + STEPS + " AdamW steps (OpenCL vs CPU)", pc.get(name).toArray(),
                    pd.get(name).toArray(), 1e-4, atol);
        // AdamW's moments live on the device too, and agree.
        Map<String, float[]> mc = cpu.optimizer().state().buffers(), md = dev.optimizer().state().buffers();
        assertEquals(mc.keySet(), md.keySet());
        for (String key : mc.keySet()) OpHarness.assertClose(key, mc.get(key), md.get(key), 1e-3, 1e-7);
    }

    @Test
    void aStepCopiesOnlyTheBatchInAndThreeScalarsOutWhateverTheDepth() {
        ClipConfig tiny = ClipPresets.get("tiny");
        ClipConfig deeper = new ClipConfig(tiny.visionWidth(), 2 * tiny.visionLayers(), tiny.visionPatch(), tiny.visionGrid(),
                tiny.imageResolution(), tiny.visionHeads(), tiny.embedDim(), tiny.contextLength(), tiny.vocabSize(),
                tiny.textWidth(), tiny.textHeads(), 2 * tiny.textLayers());
        OpenClBackend.Transfers shallow = secondStepTransfers(tiny), deep = secondStepTransfers(deeper);
        // Out: the loss, the gradient norm's per-parameter sums (one copy), the clamped logit scale.
        assertEquals(3, shallow.toHost(), "device-to-host copies in a step: " + shallow);
        // In: the images, the token ids (gathered for the embedding, scattered back in its backward) and the
        // end-of-text positions (gathered, scattered back): five copies, nothing that scales with the model.
        assertTrue(shallow.toDevice() <= 5, "host-to-device copies in a step: " + shallow);
        assertEquals(shallow.toDevice(), deep.toDevice(), "a model twice as deep must not copy more: " + deep);
        assertEquals(shallow.toHost(), deep.toHost(), "a model twice as deep must not copy more: " + deep);
        assertEquals(shallow.bytesToDevice(), deep.bytesToDevice(), "a model twice as deep must not copy more: " + deep);
        // The gradient-norm copy holds one float per parameter tensor (a few hundred bytes), never the gradients.
        int tensors = new Clip(Backends.reference(), deeper, 0).namedParameters().size();
        assertEquals(4L * (tensors + 2), deep.bytesToHost(), "bytes copied out: " + deep);
        int r = tiny.imageResolution();
        long batchBytes = 4L * BATCH * 3 * r * r;
        assertTrue(shallow.bytesToDevice() < batchBytes + 4L * BATCH * tiny.contextLength() * 8,
                "bytes copied in: " + shallow);
    }

    /** A CXR-CML step (InfoNCE + triplet on pseudo-labels) on OpenCL computes what the CPU computes, both minings. */
    @Test
    void cmlStepsOnOpenClEqualTheCpu() {
        ClipConfig config = ClipPresets.get("tiny");
        int r = config.imageResolution();
        int[][] tokens = tokens(config, CML_BATCH);
        for (TripletLoss.Mining mining : TripletLoss.Mining.values()) {
            ContrastiveTrainer cpu = cmlTrainer(Backends.cpu(), config, mining), dev = cmlTrainer(cl, config, mining);
            for (int s = 0; s < STEPS; s++) {
                var a = cpu.step(Tensor.of(Backends.cpu(), pixels(r, CML_BATCH), CML_BATCH, 3, r, r), tokens, PSEUDO, 0);
                var b = dev.step(Tensor.of(cl, pixels(r, CML_BATCH), CML_BATCH, 3, r, r), tokens, PSEUDO, 0);
                String what = mining + " step " + s;
                assertTrue(a.triplet() > 0, what + ": the triplet term must be active to test anything, got " + a.triplet());
                assertEquals(a.triplet(), b.triplet(), 1e-4 * a.triplet(), "triplet loss at " + what);
                assertEquals(a.contrastive(), b.contrastive(), 1e-4 * Math.abs(a.contrastive()), "InfoNCE at " + what);
                assertEquals(a.loss(), b.loss(), 1e-4 * Math.abs(a.loss()), "loss at " + what);
                assertEquals(a.gradNorm(), b.gradNorm(), 1e-4 * a.gradNorm(), "gradient norm at " + what);
            }
            Map<String, Tensor> pc = cpu.model().namedParameters(), pd = dev.model().namedParameters();
            for (String name : pc.keySet())
                OpHarness.assertClose(mining + " " + name + " after " + STEPS + " CML steps (OpenCL vs CPU)",
                        pc.get(name).toArray(), pd.get(name).toArray(), 1e-4, 2 * LR * STEPS);
        }
    }

    /**
     * The triplet loss keeps the (B, B) distances and their gradient on the device: a CML step copies in what a CLS
     * step of the same batch copies plus the B pseudo-labels (one copy), and copies out only two more scalars, the
     * InfoNCE and triplet terms that the step logs, never the distance matrix.
     */
    @Test
    void aCmlStepCopiesOnlyThePseudoLabelsMoreThanACLSStep() {
        ClipConfig tiny = ClipPresets.get("tiny");
        for (TripletLoss.Mining mining : TripletLoss.Mining.values()) {
            OpenClBackend.Transfers cls = secondStepTransfers(
                    trainer(cl, tiny, TrainConfig.defaults(TrainConfig.Mode.CLS).withBatch(CML_BATCH)), tiny, null);
            OpenClBackend.Transfers cml = secondStepTransfers(cmlTrainer(cl, tiny, mining), tiny, PSEUDO);
            String what = mining + ": CML " + cml + " vs CLS " + cls;
            assertEquals(cls.toDevice() + 1, cml.toDevice(), what);
            assertEquals(cls.bytesToDevice() + 4L * CML_BATCH, cml.bytesToDevice(), what);
            assertEquals(cls.toHost() + 2, cml.toHost(), what);
            assertEquals(cls.bytesToHost() + 2L * 4, cml.bytesToHost(), what);
        }
    }

    private static OpenClBackend.Transfers secondStepTransfers(ContrastiveTrainer t, ClipConfig config, int[] pseudo) {
        OpenClBackend dev = (OpenClBackend) cl;
        int r = config.imageResolution(), batch = pseudo == null ? CML_BATCH : pseudo.length;
        int[][] tokens = tokens(config, batch);
        float[] px = pixels(r, batch);
        t.step(Tensor.of(cl, px, batch, 3, r, r), tokens, pseudo, 0);
        OpenClBackend.Transfers before = dev.transfers();
        t.step(Tensor.of(cl, px, batch, 3, r, r), tokens, pseudo, 0);
        return dev.transfers().minus(before);
    }

    private static OpenClBackend.Transfers secondStepTransfers(ClipConfig config) {
        OpenClBackend dev = (OpenClBackend) cl;
        ContrastiveTrainer t = trainer(cl, config);
        int r = config.imageResolution();
        int[][] tokens = tokens(config);
        float[] px = pixels(r);
        t.step(Tensor.of(cl, px, BATCH, 3, r, r), tokens, null, 0);
        OpenClBackend.Transfers before = dev.transfers();
        t.step(Tensor.of(cl, px, BATCH, 3, r, r), tokens, null, 0);
        return dev.transfers().minus(before);
    }
}
