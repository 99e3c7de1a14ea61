package org.flowmatch4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.EnumMap;
import java.util.Map;

import org.flowmatch4j.tensor.Rng;
import org.junit.jupiter.api.Test;

class ToyDatasetsTest {
    private static final int N = 20_000;

    private static Dataset gen(String name, int n) {
        return ToyDatasets.generate(name, n, new Rng(1234));
    }

    @Test
    void everyGeneratorHasShapeNamesLabelsAndIsDeterministic() {
        assertThat(ToyDatasets.names()).containsExactly("8gaussians", "moons", "circles", "checkerboard", "spirals", "swissroll",
                "pinwheel", "cat");
        for (ToyDataset t : ToyDataset.values()) {
            Dataset a = ToyDatasets.generate(t.id(), 500, new Rng(7));
            assertThat(a.size()).as(t.id()).isEqualTo(500);
            assertThat(a.dim()).as(t.id()).isEqualTo(2);
            assertThat(a.columnNames()).containsExactly("x", "y");
            assertThat(a.hasLabels()).as(t.id()).isEqualTo(t.classes() > 0);
            if (a.hasLabels()) {
                assertThat(java.util.Arrays.stream(a.labels()).allMatch(l -> l >= 0 && l < t.classes())).as(t.id()).isTrue();
            }
            assertThat(ToyDatasets.generate(t.id(), 500, new Rng(7)).toArray()).as(t.id()).isEqualTo(a.toArray());
            assertThat(ToyDatasets.generate(t.id(), 500, new Rng(8)).toArray()).as(t.id()).isNotEqualTo(a.toArray());
            assertThat(ToyDatasets.generate(t.id(), 0, new Rng(7)).size()).isZero();
        }
    }

    @Test
    void badNamesAndCountsAreRejected() {
        assertThatThrownBy(() -> ToyDatasets.generate("dog", 10, new Rng(1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"dog\"").hasMessageContaining("8gaussians, moons, circles, checkerboard, spirals, swissroll, pinwheel, cat");
        assertThatThrownBy(() -> ToyDatasets.generate("moons", -1, new Rng(1))).hasMessageContaining("moons").hasMessageContaining("-1");
    }

    @Test
    void eightGaussiansSitOnTheRadiusTwoCircleWithStdPointOne() {
        Dataset d = gen("8gaussians", N);
        long[] counts = new long[8];
        double ss = 0;
        for (int i = 0; i < N; i++) {
            double x = d.get(i, 0);
            double y = d.get(i, 1);
            int best = -1;
            double bestD = Double.MAX_VALUE;
            for (int k = 0; k < 8; k++) {
                double dx = x - 2 * Math.cos(k * Math.PI / 4);
                double dy = y - 2 * Math.sin(k * Math.PI / 4);
                if (dx * dx + dy * dy < bestD) {
                    bestD = dx * dx + dy * dy;
                    best = k;
                }
            }
            assertThat(best).isEqualTo(d.label(i));
            counts[best]++;
            ss += bestD;
        }
        // E|p − c|² = 2·0.1² per point
        assertThat(Math.sqrt(ss / (2 * N))).isCloseTo(0.1, within(0.003));
        assertThat(chiSquare(counts)).isLessThan(24.3); // 7 dof, 99.9 %
    }

    @Test
    void moonsAreUnitHalfCirclesAroundTheirCentres() {
        Dataset d = gen("moons", N);
        double[] sumR = new double[2];
        double[] sumR2 = new double[2];
        long[] counts = new long[2];
        double mx = 0;
        double my = 0;
        for (int i = 0; i < N; i++) {
            int k = d.label(i);
            double cx = k == 0 ? -0.5 : 0.5;
            double cy = k == 0 ? -0.25 : 0.25;
            double dx = d.get(i, 0) - cx;
            double dy = d.get(i, 1) - cy;
            // upper moon above its centre, lower moon below (up to 5σ of noise)
            assertThat(k == 0 ? dy : -dy).isGreaterThan(-0.25);
            double r = Math.hypot(dx, dy);
            sumR[k] += r;
            sumR2[k] += r * r;
            counts[k]++;
            mx += d.get(i, 0);
            my += d.get(i, 1);
        }
        for (int k = 0; k < 2; k++) {
            double mean = sumR[k] / counts[k];
            double sd = Math.sqrt(sumR2[k] / counts[k] - mean * mean);
            assertThat(mean).isCloseTo(1.0, within(0.005));
            assertThat(sd).isCloseTo(ToyDataset.MOONS_NOISE, within(0.006));
        }
        assertThat(mx / N).isCloseTo(0, within(0.02));
        assertThat(my / N).isCloseTo(0, within(0.02));
        assertThat(chiSquare(counts)).isLessThan(10.8);
    }

    @Test
    void circlesHaveRadiiThreeAndOneAndAHalf() {
        Dataset d = gen("circles", N);
        double[] sumR = new double[2];
        double[] sumR2 = new double[2];
        long[] counts = new long[2];
        double sc = 0;
        for (int i = 0; i < N; i++) {
            int k = d.label(i);
            double r = Math.hypot(d.get(i, 0), d.get(i, 1));
            sumR[k] += r;
            sumR2[k] += r * r;
            counts[k]++;
            sc += d.get(i, 0) / r;
        }
        double[] radius = {3, 1.5};
        for (int k = 0; k < 2; k++) {
            double mean = sumR[k] / counts[k];
            double sd = Math.sqrt(sumR2[k] / counts[k] - mean * mean);
            // E|r e + σz| ≈ r + σ²/(2r) for σ ≪ r
            assertThat(mean).isCloseTo(radius[k] + 0.24 * 0.24 / (2 * radius[k]), within(0.01));
            assertThat(sd).isCloseTo(0.24, within(0.015));
        }
        assertThat(sc / N).isCloseTo(0, within(0.03)); // angles uniform
        assertThat(chiSquare(counts)).isLessThan(10.8);
    }

    @Test
    void checkerboardFillsAlternateCellsUniformly() {
        Dataset d = gen("checkerboard", N);
        long[] cells = new long[16];
        double fx = 0;
        double fxx = 0;
        for (int i = 0; i < N; i++) {
            double x = d.get(i, 0);
            double y = d.get(i, 1);
            assertThat(x).isBetween(-4.0, 4.0);
            assertThat(y).isBetween(-4.0, 4.0);
            int cx = (int) Math.floor(x / 2);
            int cy = (int) Math.floor(y / 2);
            assertThat(Math.floorMod(cx + cy, 2)).isZero();
            cells[(cy + 2) * 4 + (cx + 2)]++;
            double f = x / 2 - cx;
            fx += f;
            fxx += f * f;
        }
        long[] filled = new long[8];
        int m = 0;
        for (int c = 0; c < 16; c++) {
            if (cells[c] > 0) {
                filled[m++] = cells[c];
            }
        }
        assertThat(m).isEqualTo(8);
        assertThat(chiSquare(filled)).isLessThan(24.3);
        // uniform within a cell: position fraction has mean 1/2 and variance 1/12
        assertThat(fx / N).isCloseTo(0.5, within(0.01));
        assertThat(fxx / N - (fx / N) * (fx / N)).isCloseTo(1.0 / 12, within(0.003));
    }

    @Test
    void spiralPointsLieOnTheirOwnArm() {
        int n = 2000;
        Dataset d = gen("spirals", n);
        double[][] arm = curve(t -> new double[] {(-t * Math.cos(t) + 0.25) / 3, (t * Math.sin(t) + 0.25) / 3}, 0, 3 * Math.PI, 6000);
        double own = 0;
        double other = 0;
        int closerToOwn = 0;
        for (int i = 0; i < n; i++) {
            double s = d.label(i) == 0 ? 1 : -1;
            double x = s * d.get(i, 0);
            double y = s * d.get(i, 1);
            double dOwn = distanceToCurve(arm, x, y);
            double dOther = distanceToCurve(arm, -x, -y);
            own += dOwn;
            other += dOther;
            if (dOwn < dOther) {
                closerToOwn++;
            }
        }
        // per-axis noise: 0.1 Gaussian and U[0, 0.5)/3 jitter, σ ≈ 0.111 ⇒ mean distance ≤ σ·√(π/2) ≈ 0.14
        assertThat(own / n).isLessThan(0.15);
        assertThat(other / n).isGreaterThan(0.3);
        assertThat(closerToOwn).isGreaterThan((int) (0.93 * n));
    }

    @Test
    void swissRollFollowsItsCurveWithUniformParameter() {
        int n = 2000;
        Dataset d = gen("swissroll", n);
        double[][] roll = curve(t -> new double[] {t * Math.cos(t) / 5, t * Math.sin(t) / 5}, 1.5 * Math.PI, 4.5 * Math.PI, 6000);
        double dist = 0;
        double radius = 0;
        for (int i = 0; i < n; i++) {
            dist += distanceToCurve(roll, d.get(i, 0), d.get(i, 1));
            radius += Math.hypot(d.get(i, 0), d.get(i, 1));
        }
        // noise 0.2 per axis; where the roll is locally straight only the normal component counts: E|N(0, 0.2²)| = 0.2·√(2/π)
        assertThat(dist / n).isCloseTo(0.2 * Math.sqrt(2 / Math.PI), within(0.012));
        // t uniform on [1.5π, 4.5π] ⇒ E|p| ≈ E t / 5 = 3π/5
        assertThat(radius / n).isCloseTo(3 * Math.PI / 5, within(0.06));
    }

    @Test
    void pinwheelInvertsToItsGaussianFeatures() {
        int n = 5000;
        Dataset d = gen("pinwheel", n);
        double s0 = 0;
        double s00 = 0;
        double s1 = 0;
        double s11 = 0;
        long[] counts = new long[5];
        for (int i = 0; i < n; i++) {
            int k = d.label(i);
            counts[k]++;
            double px = d.get(i, 0);
            double py = d.get(i, 1);
            // |p| = 2|f|; solve h(φ) = 2πk/5 + 0.25·exp(r cos φ) + φ − angle(p) = 0 (mod 2π) for φ = angle(f) by Newton from 0
            double r = Math.hypot(px, py) / 2;
            double base = wrap(2 * Math.PI * k / 5 + 0.25 * Math.exp(r) - Math.atan2(py, px));
            double phi = 0;
            for (int it = 0; it < 50; it++) {
                double h = base + 0.25 * (Math.exp(r * Math.cos(phi)) - Math.exp(r)) + phi;
                double dh = 1 - 0.25 * r * Math.sin(phi) * Math.exp(r * Math.cos(phi));
                phi -= h / dh;
            }
            double lo = phi;
            double f0 = r * Math.cos(lo);
            double f1 = r * Math.sin(lo);
            double a = 2 * Math.PI * k / 5 + 0.25 * Math.exp(f0);
            assertThat(2 * (Math.cos(a) * f0 - Math.sin(a) * f1)).isCloseTo(px, within(1e-5));
            assertThat(2 * (Math.sin(a) * f0 + Math.cos(a) * f1)).isCloseTo(py, within(1e-5));
            s0 += f0;
            s00 += f0 * f0;
            s1 += f1;
            s11 += f1 * f1;
        }
        assertThat(s0 / n).isCloseTo(1.0, within(0.02));
        assertThat(Math.sqrt(s00 / n - (s0 / n) * (s0 / n))).isCloseTo(0.3, within(0.015));
        assertThat(s1 / n).isCloseTo(0, within(0.007));
        assertThat(Math.sqrt(s11 / n)).isCloseTo(0.1, within(0.005));
        assertThat(chiSquare(counts)).isLessThan(18.5);
    }

    @Test
    void catPointsFillTheSilhouetteUniformly() {
        Dataset d = gen("cat", N);
        Map<CatSilhouette.Part, double[]> sums = new EnumMap<>(CatSilhouette.Part.class);
        long[] counts = new long[CatSilhouette.Part.values().length];
        double mx = 0;
        double my = 0;
        double mxx = 0;
        double myy = 0;
        for (int i = 0; i < N; i++) {
            double x = d.get(i, 0);
            double y = d.get(i, 1);
            CatSilhouette.Part p = CatSilhouette.partOf(x, y);
            assertThat(p).isNotNull();
            assertThat(p.ordinal()).isEqualTo(d.label(i));
            counts[p.ordinal()]++;
            double[] s = sums.computeIfAbsent(p, q -> new double[2]);
            s[0] += x;
            s[1] += y;
            mx += x;
            my += y;
            mxx += x * x;
            myy += y * y;
        }
        // centred, total variance 2 (isotropic scale), each axis roughly unit
        mx /= N;
        my /= N;
        double vx = mxx / N - mx * mx;
        double vy = myy / N - my * my;
        assertThat(mx).isCloseTo(0, within(0.03));
        assertThat(my).isCloseTo(0, within(0.03));
        assertThat((vx + vy) / 2).isCloseTo(1, within(0.03));
        assertThat(vx).isBetween(0.5, 1.5);
        assertThat(vy).isBetween(0.5, 1.5);

        // part frequencies match part areas from a brute-force grid over [−3, 3]² (uniform on the silhouette)
        int g = 600;
        long[] area = new long[counts.length];
        long inside = 0;
        for (int i = 0; i < g; i++) {
            for (int j = 0; j < g; j++) {
                CatSilhouette.Part p = CatSilhouette.partOf(-3 + 6 * (i + 0.5) / g, -3 + 6 * (j + 0.5) / g);
                if (p != null) {
                    area[p.ordinal()]++;
                    inside++;
                }
            }
        }
        for (int k = 0; k < counts.length; k++) {
            double expected = (double) area[k] / inside;
            assertThat(counts[k]).as("points in %s", CatSilhouette.Part.values()[k]).isPositive();
            assertThat((double) counts[k] / N).isCloseTo(expected, within(5 * Math.sqrt(expected * (1 - expected) / N) + 0.002));
        }
        // a cat: ears left and right above the head, head above the body, tail to the side
        double[] le = mean(sums.get(CatSilhouette.Part.LEFT_EAR), counts[0]);
        double[] re = mean(sums.get(CatSilhouette.Part.RIGHT_EAR), counts[1]);
        double[] head = mean(sums.get(CatSilhouette.Part.HEAD), counts[2]);
        double[] tail = mean(sums.get(CatSilhouette.Part.TAIL), counts[3]);
        double[] body = mean(sums.get(CatSilhouette.Part.BODY), counts[4]);
        assertThat(le[0]).isLessThan(head[0]);
        assertThat(re[0]).isGreaterThan(head[0]);
        assertThat(le[1]).isGreaterThan(head[1]);
        assertThat(re[1]).isGreaterThan(head[1]);
        assertThat(head[1]).isGreaterThan(body[1]);
        assertThat(tail[0]).isGreaterThan(body[0] + 1);
        assertThat(CatSilhouette.contains(body[0], body[1])).isTrue();
        assertThat(CatSilhouette.contains(head[0], head[1] + 2)).isFalse();
    }

    private static double[] mean(double[] sum, long n) {
        return new double[] {sum[0] / n, sum[1] / n};
    }

    private static double wrap(double a) {
        return a - 2 * Math.PI * Math.floor((a + Math.PI) / (2 * Math.PI));
    }

    private static double[][] curve(java.util.function.DoubleFunction<double[]> f, double t0, double t1, int m) {
        double[][] pts = new double[m][];
        for (int i = 0; i < m; i++) {
            pts[i] = f.apply(t0 + (t1 - t0) * i / (m - 1));
        }
        return pts;
    }

    private static double distanceToCurve(double[][] pts, double x, double y) {
        double best = Double.MAX_VALUE;
        for (double[] p : pts) {
            double dx = x - p[0];
            double dy = y - p[1];
            best = Math.min(best, dx * dx + dy * dy);
        }
        return Math.sqrt(best);
    }

    private static double chiSquare(long[] counts) {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        double e = (double) total / counts.length;
        double chi2 = 0;
        for (long c : counts) {
            chi2 += (c - e) * (c - e) / e;
        }
        return chi2;
    }
}
