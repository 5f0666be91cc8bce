package org.cxrclip.train.synth;

/**
 * Support devices, metal- or contrast-bright: bit 0 an endotracheal tube ending above the carina, bit 1 a
 * nasogastric tube down the oesophagus into the stomach, bit 2 a right subclavian central line to the
 * superior vena cava, bit 3 ECG leads on the chest, bit 4 a pacemaker in the left upper chest with its lead
 * into the heart. {@link ReportWriter} names the same devices from the same bits.
 */
final class Devices {
    static final int ET_TUBE = 1, NG_TUBE = 2, CENTRAL_LINE = 4, ECG_LEADS = 8, PACEMAKER = 16;

    private Devices() {}

    static void paint(Canvas c, Scene s, int mask) {
        double bright = 0.42;
        if ((mask & ET_TUBE) != 0)
            c.stroke(new double[] {s.mid, -0.05, s.mid, s.carinaY - 0.05}, 0.006, 0.006, bright);
        if ((mask & NG_TUBE) != 0) {
            double gu = s.hemiCenter(1) + 0.02, gv = s.domeLeft + 0.06;
            c.stroke(new double[] {s.mid + 0.012, -0.05, s.mid + 0.015, s.carinaY, s.mid + 0.02, s.domeLeft - 0.05,
                    (s.mid + gu) / 2, s.domeLeft + 0.04, gu, gv}, 0.004, 0.004, bright);
        }
        if ((mask & CENTRAL_LINE) != 0)
            c.stroke(new double[] {s.mid - 0.28, s.clavicleY + 0.05, s.mid - 0.12, s.clavicleY + 0.05, s.mid - 0.035,
                    s.clavicleY + 0.09, s.mid - 0.03, s.carinaY + 0.06}, 0.004, 0.004, bright);
        if ((mask & ECG_LEADS) != 0) {
            double[][] at = {{s.mid - 0.25, 0.2}, {s.mid + 0.26, 0.22}, {s.mid + 0.2, 0.78}};
            for (double[] p : at) {
                c.ellipse(p[0], p[1], 0.016, 0.016, bright);
                c.ellipse(p[0], p[1], 0.007, 0.007, -bright * 0.6);
                c.stroke(new double[] {p[0], p[1], p[0] + (p[0] < s.mid ? -0.1 : 0.1), p[1] - 0.12}, 0.002, 0.002, bright * 0.6);
            }
        }
        if ((mask & PACEMAKER) != 0) {
            double pu = s.mid + 0.24, pv = s.clavicleY + 0.08;
            c.add(pu - 0.05, pv - 0.035, pu + 0.05, pv + 0.035,
                    (u, v) -> 0.6 * Canvas.edge(Math.max(Math.abs(u - pu) - 0.04, Math.abs(v - pv) - 0.028), 1.5 * c.px()));
            c.stroke(new double[] {pu - 0.03, pv, s.mid + 0.03, s.clavicleY + 0.1, s.mid + 0.01, s.carinaY + 0.1,
                    s.heartCx, s.heartCy + s.heartRy * 0.6}, 0.0035, 0.003, bright);
        }
    }
}
