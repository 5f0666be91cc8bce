package org.cxrclip.train.synth;

import java.util.ArrayList;
import java.util.List;
import org.cxrclip.engine.Rng;

/**
 * The 40 CXR-LT 2024 task-1 classes (REFERENCE.md §5.1) with their train counts, the target prevalence each
 * synthetic image follows (count / 258,871 rows of {@code train_labeled.csv}), the 12 rare classes of CXR-CML
 * (the 11 below 1,000 in the full file plus Fibrosis) and the co-occurrence rules of the generator.
 *
 * <p>Sampling model: "Normal" is drawn first and excludes every finding; otherwise each finding is drawn
 * independently at a base rate, then the rules (parent → child with probability q, e.g. edema → effusion)
 * add children in topological order; an image that ends with no finding is Normal. The base rates are solved
 * so the marginals hit the targets ({@link #sampler}), which the prevalence test checks by sampling.
 */
public final class CxrLtClasses {
    /** Rows of CXR-LT 2024 {@code train_labeled.csv}: the denominator of the target prevalences. */
    public static final int CXR_LT_ROWS = 258_871;

    /** One class: its CXR-LT name, train count and whether CXR-CML counts it as rare. */
    public record CxrClass(int index, String name, int count, boolean rare) {
        public double prevalence() {
            return count / (double) CXR_LT_ROWS;
        }
    }

    /** A parent class makes a child class present with probability {@code q} (applied in list order). */
    public record Rule(int parent, int child, double q) {}

    private static final Object[][] TABLE = {
            {"Adenopathy", 3409}, {"Atelectasis", 65376}, {"Azygos Lobe", 199}, {"Calcification of the Aorta", 4239},
            {"Cardiomegaly", 74738}, {"Clavicle Fracture", 168}, {"Consolidation", 15371}, {"Edema", 37256},
            {"Emphysema", 3661}, {"Enlarged Cardiomediastinum", 29628}, {"Fibrosis", 1169}, {"Fissure", 2803},
            {"Fracture", 11568}, {"Granuloma", 2965}, {"Hernia", 3986}, {"Hydropneumothorax", 646},
            {"Infarction", 727}, {"Infiltration", 10087}, {"Kyphosis", 778}, {"Lobar Atelectasis", 129},
            {"Lung Lesion", 2338}, {"Lung Opacity", 77482}, {"Mass", 5288}, {"Nodule", 7531}, {"Normal", 34292},
            {"Pleural Effusion", 66401}, {"Pleural Other", 616}, {"Pleural Thickening", 3272},
            {"Pneumomediastinum", 704}, {"Pneumonia", 46660}, {"Pneumoperitoneum", 516}, {"Pneumothorax", 13858},
            {"Pulmonary Embolism", 1631}, {"Pulmonary Hypertension", 903}, {"Rib Fracture", 8919},
            {"Round(ed) Atelectasis", 172}, {"Subcutaneous Emphysema", 2046}, {"Support Devices", 86079},
            {"Tortuous Aorta", 3336}, {"Tuberculosis", 2078}};

    public static final int ADENOPATHY = 0, ATELECTASIS = 1, AZYGOS_LOBE = 2, AORTIC_CALCIFICATION = 3,
            CARDIOMEGALY = 4, CLAVICLE_FRACTURE = 5, CONSOLIDATION = 6, EDEMA = 7, EMPHYSEMA = 8,
            ENLARGED_CARDIOMEDIASTINUM = 9, FIBROSIS = 10, FISSURE = 11, FRACTURE = 12, GRANULOMA = 13, HERNIA = 14,
            HYDROPNEUMOTHORAX = 15, INFARCTION = 16, INFILTRATION = 17, KYPHOSIS = 18, LOBAR_ATELECTASIS = 19,
            LUNG_LESION = 20, LUNG_OPACITY = 21, MASS = 22, NODULE = 23, NORMAL = 24, PLEURAL_EFFUSION = 25,
            PLEURAL_OTHER = 26, PLEURAL_THICKENING = 27, PNEUMOMEDIASTINUM = 28, PNEUMONIA = 29,
            PNEUMOPERITONEUM = 30, PNEUMOTHORAX = 31, PULMONARY_EMBOLISM = 32, PULMONARY_HYPERTENSION = 33,
            RIB_FRACTURE = 34, ROUNDED_ATELECTASIS = 35, SUBCUTANEOUS_EMPHYSEMA = 36, SUPPORT_DEVICES = 37,
            TORTUOUS_AORTA = 38, TUBERCULOSIS = 39;

    public static final int COUNT = 40;

    /** CXR-CML's 12 rare classes. */
    private static final int[] RARE = {AZYGOS_LOBE, CLAVICLE_FRACTURE, FIBROSIS, HYDROPNEUMOTHORAX, INFARCTION,
            KYPHOSIS, LOBAR_ATELECTASIS, PLEURAL_OTHER, PNEUMOMEDIASTINUM, PNEUMOPERITONEUM, PULMONARY_HYPERTENSION,
            ROUNDED_ATELECTASIS};

    /**
     * Co-occurrence, parents before children. Umbrella labels follow their specific ones as report labellers
     * do (a rib fracture is also a "fracture"; a nodule is often called a "lung lesion").
     */
    public static final List<Rule> RULES = List.of(
            new Rule(EDEMA, CARDIOMEGALY, 0.45), new Rule(EDEMA, PLEURAL_EFFUSION, 0.5),
            new Rule(PULMONARY_HYPERTENSION, CARDIOMEGALY, 0.4), new Rule(CARDIOMEGALY, ENLARGED_CARDIOMEDIASTINUM, 0.2),
            new Rule(HYDROPNEUMOTHORAX, PNEUMOTHORAX, 0.6), new Rule(HYDROPNEUMOTHORAX, PLEURAL_EFFUSION, 0.6),
            new Rule(PNEUMOMEDIASTINUM, SUBCUTANEOUS_EMPHYSEMA, 0.4), new Rule(PNEUMOTHORAX, SUBCUTANEOUS_EMPHYSEMA, 0.04),
            new Rule(INFARCTION, PULMONARY_EMBOLISM, 0.5), new Rule(TUBERCULOSIS, GRANULOMA, 0.2),
            new Rule(TUBERCULOSIS, FIBROSIS, 0.05), new Rule(LOBAR_ATELECTASIS, ATELECTASIS, 0.8),
            new Rule(ROUNDED_ATELECTASIS, ATELECTASIS, 0.5), new Rule(PNEUMONIA, CONSOLIDATION, 0.15),
            new Rule(PNEUMONIA, LUNG_OPACITY, 0.4), new Rule(CONSOLIDATION, LUNG_OPACITY, 0.3),
            new Rule(PLEURAL_EFFUSION, ATELECTASIS, 0.25), new Rule(ATELECTASIS, LUNG_OPACITY, 0.2),
            new Rule(RIB_FRACTURE, FRACTURE, 0.6), new Rule(CLAVICLE_FRACTURE, FRACTURE, 0.6),
            new Rule(MASS, LUNG_LESION, 0.15), new Rule(NODULE, LUNG_LESION, 0.08),
            new Rule(AORTIC_CALCIFICATION, TORTUOUS_AORTA, 0.25));

    private static final List<CxrClass> CLASSES = build();

    private CxrLtClasses() {}

    private static List<CxrClass> build() {
        List<CxrClass> out = new ArrayList<>();
        for (int i = 0; i < TABLE.length; i++) {
            boolean rare = false;
            for (int r : RARE) rare |= r == i;
            out.add(new CxrClass(i, (String) TABLE[i][0], (Integer) TABLE[i][1], rare));
        }
        return List.copyOf(out);
    }

    public static List<CxrClass> all() {
        return CLASSES;
    }

    public static List<String> names() {
        return CLASSES.stream().map(CxrClass::name).toList();
    }

    public static CxrClass get(int index) {
        return CLASSES.get(index);
    }

    /** The index of a class by its exact CXR-LT name. */
    public static int indexOf(String name) {
        for (CxrClass c : CLASSES) if (c.name().equals(name)) return c.index();
        throw new IllegalArgumentException("unknown CXR-LT class '" + name + "' (known: " + names() + ")");
    }

    /** Target prevalences, each raised to at least {@code minPrevalence} (0 = the CXR-LT long tail as it is). */
    public static double[] targets(double minPrevalence) {
        if (!(minPrevalence >= 0 && minPrevalence <= 0.05))
            throw new IllegalArgumentException("min prevalence must be in [0, 0.05], got " + minPrevalence);
        double[] t = new double[COUNT];
        for (CxrClass c : CLASSES) t[c.index()] = Math.max(c.prevalence(), minPrevalence);
        return t;
    }

    /** A label sampler whose marginals follow {@link #targets(double)}. */
    public static Sampler sampler(double minPrevalence) {
        return new Sampler(targets(minPrevalence));
    }

    /** Draws label vectors (0/1 per class) with the target marginals and the rules' co-occurrence. */
    public static final class Sampler {
        private final double[] target;
        private final double[] base = new double[COUNT];
        private double normal;

        Sampler(double[] target) {
            this.target = target.clone();
            solve();
        }

        /**
         * Fixed point for the base rates: with s = P(not drawn Normal), a child's marginal is
         * s·(1 − (1 − b)·Π(1 − q·m_parent)) and Normal's is 1 − s·(1 − Π(1 − b_i)), because an image with no
         * finding drawn stays empty (rules only add to non-empty sets). Parents are treated as independent,
         * which is close enough for these sparse rules (the test measures the result).
         */
        private void solve() {
            double s = 1 - target[NORMAL];
            for (int iter = 0; iter < 50; iter++) {
                double[] m = new double[COUNT];
                for (int i = 0; i < COUNT; i++) m[i] = Math.min(0.95, target[i] / s);
                for (int c = 0; c < COUNT; c++) {
                    if (c == NORMAL) continue;
                    double viaParents = 1;
                    for (Rule r : RULES) if (r.child() == c) viaParents *= 1 - r.q() * m[r.parent()];
                    base[c] = Math.max(0, 1 - (1 - m[c]) / viaParents);
                }
                double empty = 1;
                for (int c = 0; c < COUNT; c++) if (c != NORMAL) empty *= 1 - base[c];
                s = Math.min(1, (1 - target[NORMAL]) / (1 - empty));
            }
            normal = 1 - s;
        }

        /** One label vector (0 or 1 per class, CXR-LT order). */
        public float[] sample(Rng rng) {
            float[] y = new float[COUNT];
            boolean drawnNormal = rng.nextDouble() < normal;
            boolean any = false;
            for (int c = 0; c < COUNT; c++) {
                if (c == NORMAL) continue;
                double u = rng.nextDouble(); // drawn for every class so one class's rate does not shift the others
                if (!drawnNormal && u < base[c]) {
                    y[c] = 1;
                    any = true;
                }
            }
            for (Rule r : RULES) {
                double u = rng.nextDouble();
                if (y[r.parent()] == 1 && u < r.q()) y[r.child()] = 1;
            }
            if (!any) y[NORMAL] = 1;
            return y;
        }

        public double[] targets() {
            return target.clone();
        }
    }
}
