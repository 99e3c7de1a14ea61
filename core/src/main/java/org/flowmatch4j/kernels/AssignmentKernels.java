package org.flowmatch4j.kernels;

/**
 * Row scans of the dense linear assignment solver over a row-major float64 cost matrix {@code c} and column
 * prices {@code v}: the shortest-path relaxation through one row, the two smallest reduced costs of a row, and the
 * c-transform update. Two implementations follow the {@link Kernels} backend choice; both compute every value with
 * the same IEEE operations in the same order ({@code (c − v) − h}) and break ties towards the lowest column, so
 * they return identical results.
 */
public interface AssignmentKernels {
    /**
     * Relaxes shortest-path distances through one row and returns the unsettled column of least distance.
     * For every {@code j < n} whose {@code d[j]} is not NaN (NaN marks a settled column):
     * {@code r = (c[rowOff + j] − v[j]) − h}; if {@code r < d[j]} then {@code d[j] = r, pred[j] = row} (row indices are kept as doubles so that the
     * vector kernel updates them under the same mask as the distances).
     *
     * @return the lowest {@code j} minimising the updated {@code d[j]} over unsettled columns, or −1 when no
     *         unsettled column has a finite distance
     */
    int relaxAndArgMin(double[] c, int rowOff, double[] v, double h, double[] d, double[] pred, int row, int n);

    /**
     * The two smallest reduced costs {@code r_j = c[rowOff + j] − v[j]} of a row: {@code out[0] = u1 = min_j r_j},
     * {@code out[1] =} the lowest {@code j} attaining it, {@code out[2] = u2 =} the minimum over the other columns
     * ({@code +∞} when {@code n = 1}).
     */
    void twoSmallest(double[] c, int rowOff, double[] v, int n, double[] out);

    /** {@code v[j] = min(v[j], c[rowOff + j] − shift)} for {@code j < n}. */
    void lowerTo(double[] c, int rowOff, double shift, double[] v, int n);

    /** The implementation that matches {@link Kernels#get()}. */
    static AssignmentKernels get() {
        return Chosen.CHOSEN;
    }

    /** The plain-Java implementation. */
    static AssignmentKernels scalar() {
        return Scalar.INSTANCE;
    }

    /** The Vector-API implementation, or null when the vector backend is unavailable. */
    static AssignmentKernels vector() {
        return Chosen.VECTOR;
    }

    /** Lazily resolved choice; the vector class is loaded reflectively, only when the vector backend exists. */
    final class Chosen {
        private Chosen() {
        }

        static final AssignmentKernels VECTOR = Kernels.vectorVariant(AssignmentKernels.class, "org.flowmatch4j.kernels.VectorAssignmentKernels");
        static final AssignmentKernels CHOSEN = Kernels.chooseVariant(VECTOR, Scalar.INSTANCE);
    }

    /**
     * Straight loops; strict comparisons keep the lowest index on ties. The range forms continue a scan from
     * column {@code from} with the running state so far, which is how the vector kernels finish their tails.
     */
    final class Scalar implements AssignmentKernels {
        static final Scalar INSTANCE = new Scalar();

        private Scalar() {
        }

        @Override
        public int relaxAndArgMin(double[] c, int rowOff, double[] v, double h, double[] d, double[] pred, int row, int n) {
            return relaxRange(c, rowOff, v, h, d, pred, row, 0, n, Double.POSITIVE_INFINITY, -1);
        }

        /** {@link #relaxAndArgMin} over columns {@code [from, n)}, continuing from the minimum {@code best} at {@code arg}. */
        static int relaxRange(double[] c, int rowOff, double[] v, double h, double[] d, double[] pred, int row, int from, int n,
                              double best, int arg) {
            for (int j = from; j < n; j++) {
                double dj = d[j];
                double r = (c[rowOff + j] - v[j]) - h;
                if (r < dj) {
                    dj = r;
                    d[j] = r;
                    pred[j] = row;
                }
                if (dj < best) {
                    best = dj;
                    arg = j;
                }
            }
            return arg;
        }

        @Override
        public void twoSmallest(double[] c, int rowOff, double[] v, int n, double[] out) {
            out[0] = Double.POSITIVE_INFINITY;
            out[1] = -1;
            out[2] = Double.POSITIVE_INFINITY;
            twoSmallestRange(c, rowOff, v, 0, n, out);
        }

        /** {@link #twoSmallest} over columns {@code [from, n)}, continuing from the state {@code (u1, j1, u2)} in {@code out}. */
        static void twoSmallestRange(double[] c, int rowOff, double[] v, int from, int n, double[] out) {
            double u1 = out[0];
            double j1 = out[1];
            double u2 = out[2];
            for (int j = from; j < n; j++) {
                double r = c[rowOff + j] - v[j];
                if (r < u1) {
                    u2 = u1;
                    u1 = r;
                    j1 = j;
                } else if (r < u2) {
                    u2 = r;
                }
            }
            out[0] = u1;
            out[1] = j1;
            out[2] = u2;
        }

        @Override
        public void lowerTo(double[] c, int rowOff, double shift, double[] v, int n) {
            lowerRange(c, rowOff, shift, v, 0, n);
        }

        /** {@link #lowerTo} over columns {@code [from, n)}. */
        static void lowerRange(double[] c, int rowOff, double shift, double[] v, int from, int n) {
            for (int j = from; j < n; j++) {
                double r = c[rowOff + j] - shift;
                if (r < v[j]) {
                    v[j] = r;
                }
            }
        }
    }
}
