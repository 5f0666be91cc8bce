/**
 * The synthetic long-tailed chest X-ray benchmark of issue 7 ({@code cxrclip data synth}): procedural frontal radiographs with one visual cue per CXR-LT class, the CXR-LT
 * long tail with co-occurrence, a report per image, deterministic for a seed.
 *
 * <ul>
 *   <li>{@link org.cxrclip.train.synth.CxrLtClasses}: the 40 classes, counts, target prevalences, the 12 rare
 *       classes, co-occurrence rules and the calibrated label sampler.</li>
 *   <li>{@code Scene} (a patient's anatomy, exposure, noise; then a view of it), {@code Canvas} (a float
 *       density raster with a pose), {@code ThoraxPhantom} (normal anatomy), {@code FindingPainter} with
 *       {@code LungFindings}, {@code ChestWallFindings} and {@code Devices} (the cues),
 *       {@link org.cxrclip.train.synth.Radiograph} (one image), {@link org.cxrclip.train.synth.ReportWriter}
 *       (one report) and {@link org.cxrclip.train.synth.SynthDataset} (the files).</li>
 * </ul>
 *
 * <p>Labels are the truth of the drawn image (1/0, never −1); "Normal" means no finding at all. Reports hedge
 * about 12 % of present findings ("possible ...") without changing the label, and negate 1–3 absent ones.
 *
 * <p>The cues (image left = patient's right):
 * <table>
 *   <caption>One cue per class</caption>
 *   <tr><th>class</th><th>cue</th></tr>
 *   <tr><td>Adenopathy</td><td>lobulated nodes at both hila and right paratracheal</td></tr>
 *   <tr><td>Atelectasis</td><td>plate-like bands at a base and that dome raised</td></tr>
 *   <tr><td>Azygos Lobe</td><td>curved fissure in the right apex ending in a teardrop</td></tr>
 *   <tr><td>Calcification of the Aorta</td><td>bright rim on the aortic knob</td></tr>
 *   <tr><td>Cardiomegaly</td><td>heart 1.3–1.4× wider, taller</td></tr>
 *   <tr><td>Clavicle Fracture</td><td>gap in a clavicle with the lateral part stepped down</td></tr>
 *   <tr><td>Consolidation</td><td>dense lower lobe with an oblique upper border and air bronchograms</td></tr>
 *   <tr><td>Edema</td><td>symmetric perihilar haze with Kerley B lines</td></tr>
 *   <tr><td>Emphysema</td><td>dark lungs, low flat domes, narrow heart, thin vessels</td></tr>
 *   <tr><td>Enlarged Cardiomediastinum</td><td>widened superior mediastinum</td></tr>
 *   <tr><td>Fibrosis</td><td>basal peripheral reticular mesh, domes raised</td></tr>
 *   <tr><td>Fissure</td><td>thick horizontal line in the right mid lung</td></tr>
 *   <tr><td>Fracture</td><td>broken, angulated humeral neck</td></tr>
 *   <tr><td>Granuloma</td><td>cluster of tiny calcium-bright dots, upper-mid lung</td></tr>
 *   <tr><td>Hernia</td><td>retrocardiac gas bubble with an air-fluid level</td></tr>
 *   <tr><td>Hydropneumothorax</td><td>flat air-fluid level, clear lung and pleural line above</td></tr>
 *   <tr><td>Infarction</td><td>pleural-based dome on the lateral wall (Hampton's hump)</td></tr>
 *   <tr><td>Infiltration</td><td>many small faint patches in both lungs</td></tr>
 *   <tr><td>Kyphosis</td><td>curved spine, crowded ribs</td></tr>
 *   <tr><td>Lobar Atelectasis</td><td>dense upper-medial triangle (collapsed upper lobe)</td></tr>
 *   <tr><td>Lung Lesion</td><td>spiculated opacity</td></tr>
 *   <tr><td>Lung Opacity</td><td>one broad faint haze</td></tr>
 *   <tr><td>Mass</td><td>large round opacity</td></tr>
 *   <tr><td>Nodule</td><td>small round opacity</td></tr>
 *   <tr><td>Normal</td><td>nothing</td></tr>
 *   <tr><td>Pleural Effusion</td><td>basal fluid with a meniscus, blunted costophrenic angle</td></tr>
 *   <tr><td>Pleural Other</td><td>bright calcified plaques on a dome</td></tr>
 *   <tr><td>Pleural Thickening</td><td>smooth band along the lateral wall</td></tr>
 *   <tr><td>Pneumomediastinum</td><td>dark stripes along the left heart border and up the mediastinum</td></tr>
 *   <tr><td>Pneumonia</td><td>cluster of fluffy patches in one lower zone</td></tr>
 *   <tr><td>Pneumoperitoneum</td><td>dark crescent under the right dome</td></tr>
 *   <tr><td>Pneumothorax</td><td>thin pleural line, darker lung without markings beyond</td></tr>
 *   <tr><td>Pulmonary Embolism</td><td>wedge without vessels (Westermark) and a large hilar artery</td></tr>
 *   <tr><td>Pulmonary Hypertension</td><td>large central arteries, pruned periphery, bulging main PA</td></tr>
 *   <tr><td>Rib Fracture</td><td>gaps with callus on two adjacent lateral ribs</td></tr>
 *   <tr><td>Round(ed) Atelectasis</td><td>round basal opacity with a comet tail to the hilum</td></tr>
 *   <tr><td>Subcutaneous Emphysema</td><td>dark streaks in the lateral chest wall and neck</td></tr>
 *   <tr><td>Support Devices</td><td>ET tube, NG tube, central line, ECG leads, pacemaker (a subset)</td></tr>
 *   <tr><td>Tortuous Aorta</td><td>wavy descending aorta bulging into the left lung, larger knob</td></tr>
 *   <tr><td>Tuberculosis</td><td>apical opacity with a cavity and a streak to the hilum</td></tr>
 * </table>
 */
package org.cxrclip.train.synth;
