package org.cxrclip.train.trainer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.cxrclip.train.optim.ReduceLrOnPlateau;

/**
 * ReduceLROnPlateau's resumable state in the checkpoint's string metadata (key {@code cxrclip_plateau}:
 * "lr best bad_epochs cooldown epoch", doubles in Java's round-trip form), so a resumed plateau run continues
 * with the lr and patience counter it had.
 */
final class PlateauState {
    static final String KEY = "cxrclip_plateau";

    private PlateauState() {}

    static Map<String, String> metadata(ReduceLrOnPlateau p) {
        var s = p.state();
        return Map.of(KEY, String.format(Locale.ROOT, "%s %s %d %d %d", Double.toString(s.lr()), Double.toString(s.best()),
                s.badEpochs(), s.cooldownCounter(), s.epoch()));
    }

    /** The plateau schedule of a checkpoint, or a fresh one at {@code lr} when the run had none. */
    static ReduceLrOnPlateau restore(Path file, Map<String, String> meta, double lr) throws IOException {
        ReduceLrOnPlateau p = ReduceLrOnPlateau.cxrCml(lr);
        String v = meta.get(KEY);
        if (v == null) return p;
        String[] f = v.trim().split(" ");
        try {
            if (f.length != 5) throw new NumberFormatException("5 fields expected");
            p.restore(new ReduceLrOnPlateau.State(Double.parseDouble(f[0]), Double.parseDouble(f[1]), Integer.parseInt(f[2]),
                    Integer.parseInt(f[3]), Long.parseLong(f[4])));
        } catch (NumberFormatException e) {
            throw new IOException(file + ": metadata key '" + KEY + "' is malformed: '" + v + "'");
        }
        return p;
    }
}
