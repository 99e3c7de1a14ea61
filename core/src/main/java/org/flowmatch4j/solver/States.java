package org.flowmatch4j.solver;

/** Argument checks shared by the solvers. */
final class States {
    private States() {}

    /** Checks the system, the initial state and the times; returns the state length. */
    static int check(String solver, OdeSystem system, double t0, double[] y0, double t1, Recording recording) {
        if (system == null || y0 == null || recording == null) {
            throw new IllegalArgumentException(solver + ": system, y0 and recording must not be null (system=" + system
                    + ", y0=" + (y0 == null ? "null" : "double[" + y0.length + "]") + ", recording=" + recording + ")");
        }
        int n = system.dimension();
        if (n < 0 || y0.length != n) {
            throw new IllegalArgumentException(solver + ": y0 has length " + y0.length + " but system.dimension() is " + n);
        }
        if (!Double.isFinite(t0) || !Double.isFinite(t1)) {
            throw new IllegalArgumentException(solver + ": times must be finite, got t0=" + t0 + " t1=" + t1);
        }
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(y0[i])) {
                throw new IllegalArgumentException(solver + ": y0[" + i + "] is " + y0[i]);
            }
        }
        return n;
    }

    /** Checks that requested output times run in the direction of integration and lie within [t0, t1]. */
    static void checkOutputTimes(String solver, Recording.AtTimes at, double t0, double t1) {
        double dir = Math.signum(t1 - t0);
        int m = at.count();
        if (m >= 2 && Math.signum(at.time(1) - at.time(0)) != dir) {
            throw new IllegalArgumentException(solver + ": output times " + at + " do not run in the direction of"
                    + " integration from t0=" + t0 + " to t1=" + t1);
        }
        double lo = Math.min(t0, t1);
        double hi = Math.max(t0, t1);
        for (int k = 0; k < m; k++) {
            double tk = at.time(k);
            if (tk < lo || tk > hi) {
                throw new IllegalArgumentException(solver + ": output time " + tk + " lies outside [" + lo + ", " + hi
                        + "] (t0=" + t0 + ", t1=" + t1 + ")");
            }
        }
    }
}
