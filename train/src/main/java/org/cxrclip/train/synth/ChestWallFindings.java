package org.cxrclip.train.synth;

import static org.cxrclip.train.synth.CxrLtClasses.*;
import static org.cxrclip.train.synth.FindingPainter.inLung;
import static org.cxrclip.train.synth.FindingPainter.side;

import org.cxrclip.engine.Rng;
import org.cxrclip.train.synth.FindingPainter.Cue;

/**
 * Cues outside the lung parenchyma: pleura (effusion = fluid with a meniscus blunting the costophrenic angle;
 * hydropneumothorax = a flat air-fluid level with clear lung above; pneumothorax = a thin pleural line with no
 * markings beyond; thickening = a smooth band along the lateral wall; pleural other = bright calcified plaques
 * on the domes), heart and mediastinum (cardiomegaly, widened superior mediastinum, adenopathy = lobulated
 * hilar and paratracheal nodes, pulmonary hypertension = big central arteries, pruned periphery and a bulging
 * main pulmonary artery, calcified aortic knob rim, tortuous wavy aorta, pneumomediastinum = dark stripes along
 * the heart and up the mediastinum, hiatal hernia = a retrocardiac gas bubble with a level, azygos lobe = a
 * curved fissure ending in a teardrop), bones (rib / clavicle fracture = a gap with a step-off; fracture = a
 * broken humeral neck; kyphosis = a curved spine with crowded ribs), soft tissue (subcutaneous emphysema =
 * dark streaks in the chest wall and neck), the abdomen (pneumoperitoneum = a dark crescent under a dome) and
 * support devices (tubes, lines, leads, a pacemaker: metal-bright).
 */
final class ChestWallFindings {
    private ChestWallFindings() {}

    static Cue apply(int cls, Scene s, Rng rng) {
        int side = side(rng);
        double w = s.halfWidth, l = s.mid - w, r = s.mid + w;
        double hu = s.hemiCenter(side), hh = (s.halfWidth - s.mediastinum) / 2;
        double su0 = hu - hh - 0.03, su1 = hu + hh + 0.03;
        switch (cls) {
            case CARDIOMEGALY -> {
                s.heartRx *= Scene.uni(rng, 1.3, 1.42);
                s.heartRy *= Scene.uni(rng, 1.1, 1.2);
                s.heartCx += 0.015;
                return Cue.anatomyOnly(s.heartCx - s.heartRx - 0.03, s.heartCy - s.heartRy - 0.03,
                        s.heartCx + s.heartRx + 0.03, s.heartCy + s.heartRy + 0.03);
            }
            case ENLARGED_CARDIOMEDIASTINUM -> {
                s.superiorWidening = s.mediastinum * Scene.uni(rng, 0.7, 1.0);
                double reach = s.mediastinum * 1.3 + s.superiorWidening + 0.05;
                return Cue.anatomyOnly(s.mid - reach, 0, s.mid + reach, s.heartCy);
            }
            case KYPHOSIS -> {
                s.spineCurve = side * Scene.uni(rng, 0.035, 0.05);
                s.ribCrowding = 0.82;
                return Cue.anatomyOnly(l, 0, r, 1);
            }
            case TORTUOUS_AORTA -> {
                s.aortaWave = Scene.uni(rng, 0.04, 0.06);
                s.knobR *= 1.25;
                return Cue.anatomyOnly(s.mid, s.knobCy - 0.06, s.mid + s.mediastinum + 0.12, s.domeLeft);
            }
            case PULMONARY_HYPERTENSION -> {
                s.arteryScale = Scene.uni(rng, 1.7, 2.0);
                s.peripheralVessels = 0.35;
                return new Cue(l, s.knobCy - 0.05, r, s.domeLeft, c -> c.over(s.mid, s.knobCy, s.mid + 0.2,
                        s.knobCy + 0.15, s.soft, (u, v) -> Canvas.edge(Canvas.ellipseDist(u, v,
                                s.mid + s.mediastinum + 0.025, s.knobCy + 0.075, 0.03, 0.032), 2 * c.px())));
            }
            case ADENOPATHY -> {
                double[][] nodes = new double[7][];
                for (int i = 0; i < 6; i++) {
                    int sd = i < 3 ? -1 : 1;
                    nodes[i] = new double[] {s.mid + sd * (s.mediastinum + Scene.uni(rng, 0.03, 0.05)),
                            s.carinaY + Scene.uni(rng, -0.01, 0.09), Scene.uni(rng, 0.026, 0.034)};
                }
                nodes[6] = new double[] {s.mid - s.mediastinum - 0.015, s.carinaY - 0.06, 0.03};
                return new Cue(s.mid - 0.2, s.carinaY - 0.1, s.mid + 0.2, s.carinaY + 0.13, c -> {
                    for (double[] n : nodes) c.over(n[0] - 0.05, n[1] - 0.05, n[0] + 0.05, n[1] + 0.05, s.soft + 0.04,
                            (u, v) -> Canvas.edge(Canvas.ellipseDist(u, v, n[0], n[1], n[2], n[2]), 2 * c.px()));
                });
            }
            case AORTIC_CALCIFICATION -> {
                return new Cue(s.knobCx - 0.06, s.knobCy - 0.06, s.knobCx + 0.06, s.knobCy + 0.1, c -> {
                    double[] arc = new double[18];
                    double rr = s.knobR * 0.9;
                    for (int i = 0; i < 9; i++) {
                        double a = Math.toRadians(-150 + 190.0 * i / 8);
                        arc[2 * i] = s.knobCx + rr * Math.cos(a);
                        arc[2 * i + 1] = s.knobCy + rr * Math.sin(a);
                    }
                    c.stroke(arc, 0.008, 0.008, 0.4);
                    c.stroke(new double[] {s.knobCx + 0.012, s.knobCy + 0.04, s.knobCx + 0.01, s.knobCy + 0.09}, 0.006, 0.006, 0.35);
                });
            }
            case PNEUMOMEDIASTINUM -> {
                return new Cue(s.mid - 0.1, 0, s.heartCx + s.heartRx + 0.05, s.heartCy + 0.05, c -> {
                    double[] arc = new double[16];
                    for (int i = 0; i < 8; i++) {
                        double a = Math.toRadians(-80 + 100.0 * i / 7);
                        arc[2 * i] = s.heartCx + (s.heartRx + 0.012) * Math.cos(a);
                        arc[2 * i + 1] = s.heartCy + (s.heartRy + 0.012) * Math.sin(a);
                    }
                    c.stroke(arc, 0.006, 0.006, -0.22);
                    for (int sd = -1; sd <= 1; sd += 2) {
                        double u0 = s.mid + sd * (s.mediastinum - 0.01);
                        c.stroke(new double[] {u0, s.carinaY, u0 + sd * 0.01, s.apex, u0 + sd * 0.03, 0.02}, 0.006, 0.004, -0.22);
                    }
                });
            }
            case HERNIA -> {
                double cu = s.mid + Scene.uni(rng, -0.01, 0.03), cv = s.heartCy + s.heartRy * 0.35;
                return new Cue(cu - 0.09, cv - 0.09, cu + 0.09, cv + 0.09, c -> {
                    c.add(cu - 0.07, cv - 0.07, cu + 0.07, cv + 0.07, (u, v) -> {
                        double in = Canvas.edge(Canvas.ellipseDist(u, v, cu, cv, 0.06, 0.052), 1.5 * c.px());
                        return in * (v < cv + 0.01 ? -0.3 : 0.04);
                    });
                    c.stroke(new double[] {cu - 0.055, cv + 0.01, cu + 0.055, cv + 0.01}, 0.004, 0.004, 0.14);
                });
            }
            case AZYGOS_LOBE -> {
                double ku = s.mid - s.mediastinum - 0.012, kv = s.carinaY - 0.04;
                return new Cue(ku - 0.12, s.apex - 0.03, ku + 0.03, kv + 0.04, c -> {
                    c.stroke(new double[] {ku - 0.07, s.apex, ku - 0.06, s.apex + 0.06, ku - 0.03, kv - 0.05, ku, kv},
                            0.006, 0.007, 0.22);
                    c.ellipse(ku, kv, 0.017, 0.025, 0.25);
                });
            }
            case CLAVICLE_FRACTURE -> {
                double t = Scene.uni(rng, 0.45, 0.6);
                double cu0 = Math.min(s.mid + side * 0.08, s.mid + side * 0.36), cu1 = Math.max(s.mid + side * 0.08, s.mid + side * 0.36);
                return new Cue(cu0 - 0.04, s.clavicleY - 0.05, cu1 + 0.04, s.clavicleY + 0.1, c -> {
                    double[] p = ThoraxPhantom.claviclePoint(s, side, t), q = ThoraxPhantom.claviclePoint(s, side, 1);
                    c.stroke(new double[] {p[0] - 0.008, p[1] - 0.025, p[0] + 0.008, p[1] + 0.025}, 0.01, 0.01, -0.35);
                    // the lateral fragment drops below the medial one (step-off)
                    c.stroke(new double[] {p[0] + side * 0.015, p[1] + 0.03, q[0], q[1] + 0.03}, 0.013, 0.012, s.bone * 1.5);
                });
            }
            case FRACTURE -> {
                double cu = s.mid + side * (s.halfWidth + 0.09), cv = s.clavicleY + 0.1;
                return new Cue(cu - 0.1, cv - 0.1, cu + 0.1, cv + 0.12, c -> {
                    c.stroke(new double[] {cu - 0.06, cv - 0.015, cu + 0.06, cv + 0.015}, 0.012, 0.012, -0.4);
                    c.stroke(new double[] {cu - side * 0.01, cv + 0.025, cu - side * 0.04, cv + 0.1}, 0.032, 0.028, s.bone * 1.2);
                });
            }
            case RIB_FRACTURE -> {
                int k = 4 + rng.nextInt(3); // lateral mid ribs, where most fractures are seen
                double t = Scene.uni(rng, 0.6, 0.75);
                return new Cue(su0, s.apex, su1, s.dome(side), c -> {
                    for (int kk = k; kk <= k + 1; kk++) { // two adjacent ribs, as fractures usually come
                        double[] rib = ThoraxPhantom.rib(s, side, kk, 10, s.ribSpan * s.ribCrowding);
                        int i = (int) Math.round(t * 7); // 1..6: an interior point of the 9-point rib
                        double pu = rib[2 * i], pv = rib[2 * i + 1];
                        double du = rib[2 * i + 2] - rib[2 * i - 2], dv = rib[2 * i + 3] - rib[2 * i - 1];
                        double len = Math.hypot(du, dv), nu = -dv / len * 0.02, nv = du / len * 0.02;
                        c.stroke(new double[] {pu - nu, pv - nv, pu + nu, pv + nv}, 0.008, 0.008, -0.3);
                        c.ellipse(pu + du / len * 0.02, pv + dv / len * 0.02 + 0.01, 0.04, 0.026, 0.22); // callus
                    }
                });
            }
            case SUBCUTANEOUS_EMPHYSEMA -> {
                double[][] streaks = new double[16][];
                for (int i = 0; i < streaks.length; i++) {
                    double u = s.mid + side * (s.halfWidth + Scene.uni(rng, 0.025, 0.07)), v = Scene.uni(rng, 0.2, 0.7);
                    if (i >= 12) {
                        u = s.mid + side * Scene.uni(rng, 0.04, 0.11);
                        v = Scene.uni(rng, 0.0, 0.08);
                    }
                    double a = Math.PI / 2 + Scene.uni(rng, -0.6, 0.6);
                    streaks[i] = new double[] {u, v, u + Math.cos(a) * 0.045, v + Math.sin(a) * 0.045};
                }
                return new Cue(Math.min(s.mid, s.mid + side * (s.halfWidth + 0.12)), 0,
                        Math.max(s.mid, s.mid + side * (s.halfWidth + 0.12)), 0.8, c -> {
                    for (double[] q : streaks) c.stroke(q, 0.007, 0.005, -0.28);
                });
            }
            case SUPPORT_DEVICES -> {
                return new Cue(l, 0, r, 1, c -> Devices.paint(c, s, s.deviceMask));
            }
            case PNEUMOPERITONEUM -> {
                return new Cue(s.mid - s.halfWidth - 0.02, s.domeRight - 0.05, s.mid, s.domeRight + 0.15, c ->
                        c.add(s.mid - s.halfWidth, s.domeRight - 0.03, s.mid - 0.02, s.domeRight + 0.12, (u, v) -> {
                            double top = s.diaphragm(u, -1) + 0.009, x = (u - s.hemiCenter(-1)) / ((s.halfWidth - s.mediastinum) / 2);
                            double thick = 0.03 * Math.max(0, 1 - x * x);
                            return -0.3 * Canvas.edge(top - v, 1.5 * c.px()) * Canvas.edge(v - top - thick, 1.5 * c.px());
                        }));
            }
            case PLEURAL_EFFUSION, HYDROPNEUMOTHORAX -> {
                boolean level = cls == HYDROPNEUMOTHORAX;
                double depth = level ? Scene.uni(rng, 0.12, 0.18) : Scene.uni(rng, 0.05, 0.12);
                double surfaceTop = s.dome(side) - depth;
                if (level) s.noMarkings.add((u, v) -> side * (u - hu) > -hh * 0.4 && v < surfaceTop ? 1 : 0);
                return new Cue(su0, surfaceTop - 0.15, su1, s.dome(side) + 0.1, c -> {
                    double e = 2 * c.px();
                    c.over(su0, surfaceTop - 0.1, su1, s.cpaV(side) + 0.03, s.soft, (u, v) -> {
                        double lat = side * (u - hu) / hh; // −1 medial, +1 lateral
                        if (Math.abs(lat) > 1.15) return 0;
                        double surf = level ? surfaceTop : surfaceTop + 0.05 * (1 - (lat + 1) / 2) * (1 - (lat + 1) / 2) * 2;
                        return Canvas.edge(surf - v, e) * Canvas.edge(v - s.cpaV(side) - 0.02, e);
                    });
                    if (level) {
                        double pv = surfaceTop - 0.12;
                        c.stroke(new double[] {hu + side * hh * 0.45, surfaceTop, hu - side * hh * 0.1, pv,
                                hu - side * hh * 0.2, s.apex + 0.04}, 0.003, 0.003, 0.15);
                        inLung(c, s, su0, s.apex, su1, surfaceTop, (u, v) -> side * (u - hu) > 0 ? -0.05 : 0);
                    }
                });
            }
            case PNEUMOTHORAX -> {
                double gap = Scene.uni(rng, 0.05, 0.09), extent = Scene.uni(rng, 0.4, 0.65);
                double vEnd = s.apex + (s.dome(side) - s.apex) * extent;
                Canvas.Field beyond = (u, v) -> v < vEnd && side * (u - s.hemiCenter(side)) > s.hemiHalf(v, side) - gap ? 1 : 0;
                s.noMarkings.add(beyond);
                return new Cue(su0, s.apex - 0.03, su1, vEnd + 0.03, c -> {
                    int n = 12;
                    double[] line = new double[2 * n];
                    for (int i = 0; i < n; i++) {
                        double v = s.apex + gap * 0.6 + (vEnd - s.apex - gap * 0.6) * i / (n - 1);
                        line[2 * i] = s.hemiCenter(side) + side * Math.max(0.005, s.hemiHalf(v, side) - gap);
                        line[2 * i + 1] = v;
                    }
                    line[0] = s.hemiCenter(side);
                    line[2 * n - 2] = s.hemiCenter(side) + side * (s.hemiHalf(vEnd, side) + 0.01);
                    c.stroke(line, 0.0045, 0.0045, 0.2);
                    inLung(c, s, su0, s.apex, su1, vEnd, (u, v) -> -0.1 * beyond.at(u, v));
                });
            }
            case PLEURAL_THICKENING -> {
                double t = Scene.uni(rng, 0.028, 0.04);
                return new Cue(su0, s.apex - 0.02, su1, s.dome(side), c -> {
                    double e = 2 * c.px();
                    c.over(su0, s.apex - 0.02, su1, s.dome(side), s.soft, (u, v) -> {
                        double inside = s.hemiHalf(v, side) - Math.abs(u - s.hemiCenter(side));
                        return 0.85 * s.lung(u, v, e) * Canvas.edge(inside - t, e);
                    });
                });
            }
            case PLEURAL_OTHER -> {
                double[][] plaques = new double[4][];
                for (int i = 0; i < 4; i++) {
                    double u = hu + Scene.uni(rng, -0.7, 0.7) * hh;
                    plaques[i] = new double[] {u, Scene.uni(rng, 0.025, 0.045)};
                }
                return new Cue(su0, s.dome(side) - 0.08, su1, s.dome(side) + 0.08, c -> {
                    for (double[] p : plaques) {
                        double v = s.diaphragm(p[0], side) - 0.008;
                        c.stroke(new double[] {p[0] - p[1], v + 0.004, p[0], v - 0.006, p[0] + p[1], v + 0.006}, 0.011, 0.008, 0.38);
                    }
                });
            }
            default -> throw new IllegalArgumentException("no chest-wall cue for class " + cls);
        }
    }
}
