package org.cxrclip.train.synth;

import static org.cxrclip.train.synth.CxrLtClasses.*;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.cxrclip.engine.Rng;

/**
 * A radiology-style report for a synthetic image: "FINDINGS: ... IMPRESSION: ..." on one line, from varied
 * templates with synonyms, negations of some absent findings ("No pneumothorax.") and hedged wording
 * ("possible ...", "cannot exclude ...") for some present ones.
 *
 * <p>Decision on uncertainty: the manifest labels are the truth of the image (what was drawn), never −1.
 * About 12 % of present findings are written hedged, as radiologists do for subtle findings, so a text model
 * must learn that "possible X" still goes with X; the labels stay 1. Absent findings are never hedged, so a
 * hedge never contradicts the image. Reports stay short (≈ 30–70 words) to fit CLIP's 77 tokens mostly.
 */
public final class ReportWriter {
    private ReportWriter() {}

    /** Positive phrases per class (synonyms), CXR-LT order. A phrase is a noun phrase that can follow "possible". */
    private static final String[][] PRESENT = {
            {"hilar and mediastinal lymphadenopathy", "enlargement of the hilar lymph nodes", "bilateral hilar adenopathy"},
            {"bibasilar atelectasis", "plate-like atelectasis at the base", "subsegmental atelectasis"},
            {"an azygos lobe", "an azygos fissure in the right upper lung"},
            {"calcification of the aortic knob", "atherosclerotic calcification of the aorta", "aortic calcification"},
            {"cardiomegaly", "an enlarged cardiac silhouette", "enlargement of the heart"},
            {"a fracture of the clavicle", "a displaced clavicular fracture"},
            {"consolidation in the lower lobe", "dense lobar consolidation with air bronchograms", "a lower lobe consolidation"},
            {"pulmonary edema", "interstitial edema with perihilar haziness", "vascular congestion with edema"},
            {"emphysema", "hyperinflation with flattened hemidiaphragms", "emphysematous change"},
            {"widening of the mediastinum", "an enlarged cardiomediastinal silhouette", "mediastinal widening"},
            {"pulmonary fibrosis", "a basilar reticular pattern consistent with fibrosis", "fibrotic change at the lung bases"},
            {"a thickened minor fissure", "fluid in the minor fissure", "a prominent fissure"},
            {"a fracture of the proximal humerus", "a humeral neck fracture", "a fracture"},
            {"a calcified granuloma", "a calcified granuloma in the lung", "a small granuloma"},
            {"a hiatal hernia", "a retrocardiac hiatal hernia", "a hernia with an air fluid level behind the heart"},
            {"a hydropneumothorax", "a hydropneumothorax with an air fluid level"},
            {"a pulmonary infarct", "a pleural based wedge shaped opacity concerning for infarction"},
            {"patchy infiltration", "multifocal infiltration in both lungs", "bilateral patchy infiltration"},
            {"kyphosis", "kyphoscoliosis of the thoracic spine", "curvature of the thoracic spine"},
            {"lobar collapse", "collapse of the upper lobe", "lobar atelectasis"},
            {"a spiculated lung lesion", "a lung lesion", "an irregular pulmonary lesion"},
            {"an airspace opacity", "a hazy lung opacity", "an ill-defined opacity"},
            {"a lung mass", "a large pulmonary mass", "a mass"},
            {"a pulmonary nodule", "a small nodule", "a nodular opacity"},
            {"no abnormality"},
            {"a pleural effusion", "a small pleural effusion", "blunting of the costophrenic angle from effusion"},
            {"a calcified pleural plaque", "pleural calcification on the diaphragm", "a diaphragmatic pleural plaque"},
            {"pleural thickening", "thickening of the lateral pleura", "apical and lateral pleural thickening"},
            {"pneumomediastinum", "air outlining the mediastinum", "mediastinal air"},
            {"pneumonia", "multifocal pneumonia in the lower lung", "an infectious process in the lower lobe"},
            {"free air under the diaphragm", "pneumoperitoneum", "subdiaphragmatic free air"},
            {"a pneumothorax", "an apical pneumothorax", "a small pneumothorax"},
            {"pulmonary embolism", "regional oligemia suggesting pulmonary embolism"},
            {"pulmonary arterial hypertension", "enlargement of the central pulmonary arteries", "pulmonary hypertension"},
            {"a rib fracture", "a displaced rib fracture", "a healing rib fracture"},
            {"rounded atelectasis", "a round atelectasis at the base"},
            {"subcutaneous emphysema", "subcutaneous air in the chest wall", "soft tissue emphysema"},
            {"support devices", "a support line", "a monitoring device"},
            {"a tortuous aorta", "tortuosity of the thoracic aorta", "an unfolded aorta"},
            {"tuberculosis", "apical cavitary disease consistent with tuberculosis", "upper lobe scarring from tuberculosis"}};

    /** Negations for findings radiologists routinely exclude. */
    private static final String[][] ABSENT = {
            {"" + PNEUMOTHORAX, "No pneumothorax.", "There is no pneumothorax.", "No evidence of pneumothorax."},
            {"" + PLEURAL_EFFUSION, "No pleural effusion.", "There is no pleural effusion.", "No effusion."},
            {"" + CONSOLIDATION, "No focal consolidation.", "There is no consolidation."},
            {"" + EDEMA, "No pulmonary edema.", "There is no edema."},
            {"" + CARDIOMEGALY, "Heart size is normal.", "The cardiac silhouette is not enlarged.", "No cardiomegaly."},
            {"" + FRACTURE, "No acute fracture.", "No displaced fracture is seen."},
            {"" + PNEUMONIA, "No pneumonia.", "No findings of pneumonia."},
            {"" + NODULE, "No suspicious nodule.", "No pulmonary nodules."},
            {"" + ENLARGED_CARDIOMEDIASTINUM, "The mediastinum is not widened.", "Mediastinal contours are normal."},
            {"" + PNEUMOPERITONEUM, "No free air under the diaphragm."}};

    private static final String[] HEDGE = {"possible %s", "cannot exclude %s", "findings may represent %s",
            "questionable %s", "%s is not excluded"};
    private static final String[] STATE = {"There is %s.", "%s is seen.", "%s is present.", "Again noted is %s.",
            "Evidence of %s."};

    private static final String[] DEVICE = {"Endotracheal tube terminates above the carina.",
            "Nasogastric tube courses into the stomach.", "Right subclavian central line ends in the SVC.",
            "ECG leads overlie the chest.", "Left chest wall pacemaker with a lead in the right ventricle."};

    /** A report for {@code labels} (CXR-LT order); {@code deviceMask} names the drawn {@link Devices}. */
    public static String write(float[] labels, int deviceMask, Rng rng) {
        List<String> findings = new ArrayList<>();
        List<String> impression = new ArrayList<>();
        for (int c = 0; c < COUNT; c++) {
            if (labels[c] != 1 || c == NORMAL) continue;
            if (c == SUPPORT_DEVICES) {
                for (int b = 0; b < DEVICE.length; b++) if ((deviceMask & (1 << b)) != 0) findings.add(DEVICE[b]);
                continue;
            }
            String phrase = pick(PRESENT[c], rng);
            boolean hedged = rng.nextDouble() < 0.12;
            String hedge = hedged ? capitalize(String.format(pick(HEDGE, rng), withoutArticle(phrase))) : null;
            findings.add(hedged ? hedge + "." : capitalize(String.format(pick(STATE, rng), phrase)));
            if (impression.size() < 3) impression.add(hedged ? hedge : capitalize(phrase));
        }
        if (labels[NORMAL] == 1) {
            findings.add(pick(new String[] {"The lungs are clear.", "Lungs are well expanded and clear.", "Clear lungs."}, rng));
            findings.add(pick(new String[] {"Cardiomediastinal silhouette is normal.", "Heart size is normal.",
                    "Normal heart and mediastinum."}, rng));
        }
        Collections.shuffle(findings, new java.util.Random(rng.nextLong()));
        int negations = 1 + rng.nextInt(labels[NORMAL] == 1 ? 3 : 2);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < ABSENT.length; i++) order.add(i);
        Collections.shuffle(order, new java.util.Random(rng.nextLong()));
        for (int i : order) {
            if (negations == 0) break;
            int cls = Integer.parseInt(ABSENT[i][0]);
            if (labels[cls] == 1 || related(cls, labels)) continue;
            String negation = ABSENT[i][1 + rng.nextInt(ABSENT[i].length - 1)];
            if (findings.contains(negation)) continue;
            findings.add(negation);
            negations--;
        }
        String imp = labels[NORMAL] == 1
                ? pick(new String[] {"No acute cardiopulmonary process.", "Normal chest radiograph.",
                        "No acute intrathoracic abnormality."}, rng)
                : impression.isEmpty() ? "Support devices as described." : String.join(". ", impression) + ".";
        return "FINDINGS: " + String.join(" ", findings) + " IMPRESSION: " + imp;
    }

    /** Do not negate a finding that a present one implies (no "no fracture" with a rib fracture). */
    private static boolean related(int cls, float[] y) {
        return switch (cls) {
            case FRACTURE -> y[RIB_FRACTURE] == 1 || y[CLAVICLE_FRACTURE] == 1;
            case PNEUMOTHORAX, PLEURAL_EFFUSION -> y[HYDROPNEUMOTHORAX] == 1;
            case NODULE -> y[GRANULOMA] == 1 || y[MASS] == 1 || y[LUNG_LESION] == 1;
            case CONSOLIDATION -> y[PNEUMONIA] == 1 || y[LOBAR_ATELECTASIS] == 1;
            case ENLARGED_CARDIOMEDIASTINUM -> y[CARDIOMEGALY] == 1;
            case CARDIOMEGALY -> y[ENLARGED_CARDIOMEDIASTINUM] == 1;
            default -> false;
        };
    }

    private static String pick(String[] options, Rng rng) {
        return options[rng.nextInt(options.length)];
    }

    /** "possible pneumothorax", not "possible a pneumothorax". */
    private static String withoutArticle(String phrase) {
        return phrase.startsWith("a ") ? phrase.substring(2) : phrase.startsWith("an ") ? phrase.substring(3) : phrase;
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
