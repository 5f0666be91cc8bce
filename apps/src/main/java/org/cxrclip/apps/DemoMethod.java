package org.cxrclip.apps;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import org.cxrclip.train.trainer.TrainConfig;

/**
 * One of the demo's training methods, as in CXR-CML's Tables 2 and 3: CLS on reports (the CheXzero-style
 * baseline), CLS on meta-label text ("CheXzero + meta labels") and CXR-CML (meta-label text, InfoNCE + λ·triplet
 * on Student-t mixture pseudo-labels).
 */
record DemoMethod(String name, String title, TrainConfig.Mode mode, TrainConfig.TextSource text) {
    static final DemoMethod CLS_REPORTS = new DemoMethod("cls-reports", "CLS on reports", TrainConfig.Mode.CLS,
            TrainConfig.TextSource.REPORT);
    static final DemoMethod CLS_META = new DemoMethod("cls-meta", "CLS on meta-label text", TrainConfig.Mode.CLS,
            TrainConfig.TextSource.META_LABELS);
    static final DemoMethod CML = new DemoMethod("cml", "CXR-CML (meta-label text)", TrainConfig.Mode.CML,
            TrainConfig.TextSource.META_LABELS);

    static final List<DemoMethod> ALL = List.of(CLS_REPORTS, CLS_META, CML);

    boolean isCls() {
        return mode == TrainConfig.Mode.CLS;
    }

    /** The methods named in a comma list (order kept, duplicates dropped), e.g. "cls-reports,cml". */
    static List<DemoMethod> parse(List<String> names) {
        LinkedHashSet<DemoMethod> out = new LinkedHashSet<>();
        for (String raw : names) {
            String n = raw.trim().toLowerCase(Locale.ROOT);
            if (n.isEmpty()) continue;
            DemoMethod m = ALL.stream().filter(x -> x.name.equals(n)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                    "unknown method '" + raw.trim() + "' in --methods (known: cls-reports, cls-meta, cml)"));
            out.add(m);
        }
        if (out.isEmpty()) throw new IllegalArgumentException("--methods is empty (known: cls-reports, cls-meta, cml)");
        return new ArrayList<>(out);
    }
}
