package org.cxrclip.train.trainer;

import java.nio.file.Path;
import org.cxrclip.clip.model.Clip;
import org.cxrclip.clip.model.ClipPresets;
import org.cxrclip.engine.backend.Backends;
import org.cxrclip.train.optim.AdamW;

/**
 * The process {@link CheckpointCrashTest} kills: writes checkpoints of a tiny CLIP into the folder given as
 * its argument over and over, version i with logit scale i, printing {@code saved i} after each, until killed.
 */
public final class CheckpointWriterChild {
    private CheckpointWriterChild() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Clip model = new Clip(Backends.defaultBackend(), ClipPresets.get("tiny"), 1);
        var optimizer = new AdamW(model.namedParameters(), new AdamW.Config(1e-3, 0.9, 0.98, 1e-6, 0.1));
        TrainConfig config = TrainConfig.defaults(TrainConfig.Mode.CLS);
        try (var run = new RunDirectory(dir, false)) {
            for (int i = 1; ; i++) {
                model.logitScale.assign(new float[] {i});
                run.checkpoint(model, optimizer.state(), config, i, i, false);
                System.out.println("saved " + i);
                System.out.flush();
            }
        }
    }
}
