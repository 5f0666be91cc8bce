package org.cxrclip.train.viz;

/**
 * Barnes–Hut quadtree over 2-D points for t-SNE's repulsive forces: a cell far enough away (size / distance
 * below θ) acts as one point at its centre of mass (van der Maaten 2014). Nodes live in flat arrays.
 */
final class QuadTree {
    private static final int MAX_DEPTH = 40;
    private final double[] y;
    private int nodes;
    private double[] cx, cy, half;     // cell centre and half-width
    private double[] mx, my;           // centre of mass (sums until finish())
    private int[] count, child, point; // child: index of first of 4 children, −1 = leaf; point: a leaf's point or −1
    private final int[] leafOf;        // the leaf holding each point (several coincident points can share one)

    QuadTree(double[] y, int n) {
        this.y = y;
        int cap = Math.max(16, 4 * n);
        cx = new double[cap];
        cy = new double[cap];
        half = new double[cap];
        mx = new double[cap];
        my = new double[cap];
        count = new int[cap];
        child = new int[cap];
        point = new int[cap];
        leafOf = new int[n];
        double minX = Double.POSITIVE_INFINITY, minY = minX, maxX = Double.NEGATIVE_INFINITY, maxY = maxX;
        for (int i = 0; i < n; i++) {
            minX = Math.min(minX, y[2 * i]);
            maxX = Math.max(maxX, y[2 * i]);
            minY = Math.min(minY, y[2 * i + 1]);
            maxY = Math.max(maxY, y[2 * i + 1]);
        }
        newNode((minX + maxX) / 2, (minY + maxY) / 2, Math.max(maxX - minX, maxY - minY) / 2 + 1e-5);
        for (int i = 0; i < n; i++) insert(0, i, 0);
        for (int c = 0; c < nodes; c++) if (count[c] > 0) {
            mx[c] /= count[c];
            my[c] /= count[c];
        }
    }

    private int newNode(double x, double yy, double h) {
        if (nodes == cx.length) grow();
        cx[nodes] = x;
        cy[nodes] = yy;
        half[nodes] = h;
        child[nodes] = -1;
        point[nodes] = -1;
        return nodes++;
    }

    private void grow() {
        int cap = cx.length * 2;
        cx = java.util.Arrays.copyOf(cx, cap);
        cy = java.util.Arrays.copyOf(cy, cap);
        half = java.util.Arrays.copyOf(half, cap);
        mx = java.util.Arrays.copyOf(mx, cap);
        my = java.util.Arrays.copyOf(my, cap);
        count = java.util.Arrays.copyOf(count, cap);
        child = java.util.Arrays.copyOf(child, cap);
        point = java.util.Arrays.copyOf(point, cap);
    }

    private void insert(int node, int i, int depth) {
        double px = y[2 * i], py = y[2 * i + 1];
        while (true) {
            mx[node] += px;
            my[node] += py;
            count[node]++;
            if (child[node] < 0) {
                if (point[node] < 0 && count[node] == 1) {
                    point[node] = i;
                    leafOf[i] = node;
                    return;
                }
                if (depth >= MAX_DEPTH) { // coincident points: keep them aggregated in this leaf
                    leafOf[i] = node;
                    return;
                }
                subdivide(node);
                int old = point[node];
                point[node] = -1;
                if (old >= 0) {
                    int q = quadrant(node, y[2 * old], y[2 * old + 1]);
                    int c = child[node] + q;
                    mx[c] += y[2 * old];
                    my[c] += y[2 * old + 1];
                    count[c]++;
                    point[c] = old;
                    leafOf[old] = c;
                }
            }
            node = child[node] + quadrant(node, px, py);
            depth++;
        }
    }

    private void subdivide(int node) {
        double h = half[node] / 2;
        int first = nodes;
        newNode(cx[node] - h, cy[node] - h, h);
        newNode(cx[node] + h, cy[node] - h, h);
        newNode(cx[node] - h, cy[node] + h, h);
        newNode(cx[node] + h, cy[node] + h, h);
        child[node] = first;
    }

    private int quadrant(int node, double px, double py) {
        return (px >= cx[node] ? 1 : 0) + (py >= cy[node] ? 2 : 0);
    }

    /**
     * Adds point i's unnormalised repulsive force Σ q̃² (y_i − y_j) into f[0..1] and returns Σ q̃ (its share of
     * the normalisation Z), with q̃ = 1 / (1 + ‖y_i − y_j‖²).
     */
    double repulsion(int i, double theta, double[] f) {
        double px = y[2 * i], py = y[2 * i + 1];
        double z = 0;
        int[] stack = new int[4 * MAX_DEPTH + 8];
        int sp = 0;
        stack[sp++] = 0;
        while (sp > 0) {
            int c = stack[--sp];
            boolean own = child[c] < 0 && leafOf[i] == c; // i's own leaf: i does not repel itself
            if (count[c] == 0 || (own && count[c] == 1)) continue;
            double dx = px - mx[c], dy = py - my[c];
            double d2 = dx * dx + dy * dy;
            if (child[c] < 0 || (2 * half[c]) * (2 * half[c]) < theta * theta * d2) {
                int m = count[c] - (own ? 1 : 0);
                if (m <= 0) continue;
                double q = 1 / (1 + d2);
                z += m * q;
                f[0] += m * q * q * dx;
                f[1] += m * q * q * dy;
            } else {
                if (sp + 4 > stack.length) stack = java.util.Arrays.copyOf(stack, stack.length * 2);
                for (int t = 0; t < 4; t++) stack[sp++] = child[c] + t;
            }
        }
        return z;
    }
}
