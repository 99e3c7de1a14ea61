package org.flowmatch4j.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link AssignmentKernels} on the Vector API. Each lane keeps its own running minimum (strict comparisons, so
 * the lowest index within the lane) and the lanes are merged by value, then by index, which gives the scalar
 * loop's lowest-index tie break. Loaded reflectively only when the {@code jdk.incubator.vector} module is present.
 */
final class VectorAssignmentKernels implements AssignmentKernels {
    /**
     * At most 256 bits: on JDK 17 the 512-bit mask blends of these loops compile poorly (1.29 against 0.95 ms per
     * 256-point assignment on this AVX-512 machine), while on JDK 25 the two widths are within 5 %.
     */
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED.vectorBitSize() > 256
            ? DoubleVector.SPECIES_256 : DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final DoubleVector IOTA;

    static {
        double[] iota = new double[L];
        for (int k = 0; k < L; k++) {
            iota[k] = k;
        }
        IOTA = DoubleVector.fromArray(S, iota, 0);
    }

    @Override
    public int relaxAndArgMin(double[] c, int rowOff, double[] v, double h, double[] d, double[] pred, int row, int n) {
        DoubleVector hv = DoubleVector.broadcast(S, h);
        DoubleVector rowV = DoubleVector.broadcast(S, row);
        // two independent running minima (even and odd vectors) halve the loop-carried compare-blend chain
        DoubleVector best0 = DoubleVector.broadcast(S, Double.POSITIVE_INFINITY);
        DoubleVector best1 = best0;
        DoubleVector idx0 = DoubleVector.broadcast(S, -1);
        DoubleVector idx1 = idx0;
        int bound2 = n - n % (2 * L);
        int j = 0;
        for (; j < bound2; j += 2 * L) {
            DoubleVector d0 = relax(c, rowOff, v, hv, d, pred, rowV, j);
            DoubleVector d1 = relax(c, rowOff, v, hv, d, pred, rowV, j + L);
            VectorMask<Double> b0 = d0.lt(best0);
            VectorMask<Double> b1 = d1.lt(best1);
            best0 = best0.blend(d0, b0);
            best1 = best1.blend(d1, b1);
            idx0 = idx0.blend(IOTA.add(j), b0);
            idx1 = idx1.blend(IOTA.add(j + L), b1);
        }
        if (j + L <= n) {
            DoubleVector d0 = relax(c, rowOff, v, hv, d, pred, rowV, j);
            VectorMask<Double> b0 = d0.lt(best0);
            best0 = best0.blend(d0, b0);
            idx0 = idx0.blend(IOTA.add(j), b0);
            j += L;
        }
        // merge the two: lower value wins, the lower index on equal values
        VectorMask<Double> take1 = best1.lt(best0).or(best1.eq(best0).and(idx1.lt(idx0)));
        DoubleVector best = best0.blend(best1, take1);
        DoubleVector bestIdx = idx0.blend(idx1, take1);
        double m = best.reduceLanes(VectorOperators.MIN);
        int arg = -1;
        if (m < Double.POSITIVE_INFINITY) {
            VectorMask<Double> at = best.eq(m);
            arg = (int) DoubleVector.broadcast(S, Double.POSITIVE_INFINITY).blend(bestIdx, at).reduceLanes(VectorOperators.MIN);
        }
        return Scalar.relaxRange(c, rowOff, v, h, d, pred, row, j, n, m, arg);
    }

    /** Relaxes the L columns from {@code j} (d and pred are written back whether or not a lane changed). */
    private static DoubleVector relax(double[] c, int rowOff, double[] v, DoubleVector hv, double[] d, double[] pred,
                                      DoubleVector rowV, int j) {
        DoubleVector dj = DoubleVector.fromArray(S, d, j);
        DoubleVector r = DoubleVector.fromArray(S, c, rowOff + j).sub(DoubleVector.fromArray(S, v, j)).sub(hv);
        VectorMask<Double> lower = r.lt(dj);
        dj = dj.blend(r, lower);
        dj.intoArray(d, j);
        DoubleVector.fromArray(S, pred, j).blend(rowV, lower).intoArray(pred, j);
        return dj;
    }

    @Override
    public void twoSmallest(double[] c, int rowOff, double[] v, int n, double[] out) {
        DoubleVector min1 = DoubleVector.broadcast(S, Double.POSITIVE_INFINITY);
        DoubleVector min2 = min1;
        DoubleVector idx1 = DoubleVector.broadcast(S, -1);
        int bound = S.loopBound(n);
        int j = 0;
        for (; j < bound; j += L) {
            DoubleVector r = DoubleVector.fromArray(S, c, rowOff + j).sub(DoubleVector.fromArray(S, v, j));
            VectorMask<Double> first = r.lt(min1);
            min2 = min2.blend(r, r.lt(min2)).blend(min1, first);
            min1 = min1.blend(r, first);
            idx1 = idx1.blend(IOTA.add(j), first);
        }
        double u1 = Double.POSITIVE_INFINITY;
        double u2 = Double.POSITIVE_INFINITY;
        int j1 = -1;
        if (bound > 0) {
            u1 = min1.reduceLanes(VectorOperators.MIN);
            DoubleVector inf = DoubleVector.broadcast(S, Double.POSITIVE_INFINITY);
            j1 = (int) inf.blend(idx1, min1.eq(u1)).reduceLanes(VectorOperators.MIN);
            // the second smallest: the winning lane's runner-up or another lane's minimum
            u2 = min1.blend(min2, idx1.eq(j1)).reduceLanes(VectorOperators.MIN);
        }
        out[0] = u1;
        out[1] = j1;
        out[2] = u2;
        Scalar.twoSmallestRange(c, rowOff, v, j, n, out);
    }

    @Override
    public void lowerTo(double[] c, int rowOff, double shift, double[] v, int n) {
        int bound = S.loopBound(n);
        int j = 0;
        for (; j < bound; j += L) {
            DoubleVector r = DoubleVector.fromArray(S, c, rowOff + j).sub(shift);
            DoubleVector vj = DoubleVector.fromArray(S, v, j);
            vj.blend(r, r.lt(vj)).intoArray(v, j);
        }
        Scalar.lowerRange(c, rowOff, shift, v, j, n);
    }
}
