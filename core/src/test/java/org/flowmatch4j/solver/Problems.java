package org.flowmatch4j.solver;

/** ODE problems with closed-form solutions (the Hipparchus testing habit). */
final class Problems {
    private Problems() {}

    /** An initial-value problem with its exact solution through {@code (t0, y0)}. */
    interface Problem {
        OdeSystem system();

        double t0();

        double[] y0();

        /** The exact state at {@code t}. */
        double[] exact(double t);
    }

    /** {@code y' = λ·y} for a 3-component state: {@code y(t) = y0·exp(λ(t − t0))}. */
    static Problem exponential(double lambda, double t0) {
        double[] y0 = {1.0, -2.0, 0.5};
        OdeSystem sys = new OdeSystem() {
            @Override
            public int dimension() {
                return 3;
            }

            @Override
            public void derivative(double t, double[] y, double[] dydt) {
                for (int i = 0; i < 3; i++) {
                    dydt[i] = lambda * y[i];
                }
            }
        };
        return problem(sys, t0, y0, t -> {
            double g = Math.exp(lambda * (t - t0));
            return new double[] {y0[0] * g, y0[1] * g, y0[2] * g};
        });
    }

    /** {@code x' = v, v' = −ω²x}, from {@code (1, 0)} at t = 0: {@code x = cos ωt, v = −ω sin ωt}. */
    static Problem harmonic(double omega) {
        OdeSystem sys = new OdeSystem() {
            @Override
            public int dimension() {
                return 2;
            }

            @Override
            public void derivative(double t, double[] y, double[] dydt) {
                dydt[0] = y[1];
                dydt[1] = -omega * omega * y[0];
            }
        };
        return problem(sys, 0, new double[] {1, 0},
                t -> new double[] {Math.cos(omega * t), -omega * Math.sin(omega * t)});
    }

    /** {@code y' = t·y}: {@code y(t) = y0·exp((t² − t0²)/2)}. */
    static Problem linearInTime(double t0, double y0) {
        OdeSystem sys = new OdeSystem() {
            @Override
            public int dimension() {
                return 1;
            }

            @Override
            public void derivative(double t, double[] y, double[] dydt) {
                dydt[0] = t * y[0];
            }
        };
        return problem(sys, t0, new double[] {y0}, t -> new double[] {y0 * Math.exp((t * t - t0 * t0) / 2)});
    }

    /**
     * {@code y' = A(t)·y} with {@code A(t) = [[0, t], [−t, 0]]}: a rotation by {@code θ = (t² − t0²)/2},
     * {@code y(t) = [[cos θ, sin θ], [−sin θ, cos θ]]·y0}.
     */
    static Problem rotation(double t0) {
        double[] y0 = {0.6, -0.8};
        OdeSystem sys = new OdeSystem() {
            @Override
            public int dimension() {
                return 2;
            }

            @Override
            public void derivative(double t, double[] y, double[] dydt) {
                dydt[0] = t * y[1];
                dydt[1] = -t * y[0];
            }
        };
        return problem(sys, t0, y0, t -> {
            double th = (t * t - t0 * t0) / 2;
            double c = Math.cos(th);
            double s = Math.sin(th);
            return new double[] {c * y0[0] + s * y0[1], -s * y0[0] + c * y0[1]};
        });
    }

    /** {@code y' = −2t·y}: {@code y(t) = y0·exp(−(t² − t0²))}. */
    static Problem gaussianDecay(double t0) {
        OdeSystem sys = new OdeSystem() {
            @Override
            public int dimension() {
                return 1;
            }

            @Override
            public void derivative(double t, double[] y, double[] dydt) {
                dydt[0] = -2 * t * y[0];
            }
        };
        return problem(sys, t0, new double[] {1.0}, t -> new double[] {Math.exp(-(t * t - t0 * t0))});
    }

    /** {@code y' = y²} from {@code y(0) = 1}: {@code y = 1/(1 − t)}, which blows up at t = 1. */
    static OdeSystem blowUp() {
        return new OdeSystem() {
            @Override
            public int dimension() {
                return 1;
            }

            @Override
            public void derivative(double t, double[] y, double[] dydt) {
                dydt[0] = y[0] * y[0];
            }
        };
    }

    /** A nonlinear 2-D field with no closed form, for round trips: {@code x' = sin(t)·y − x³/3, y' = −x + cos(2t)·y/2}. */
    static OdeSystem nonlinear() {
        return new OdeSystem() {
            @Override
            public int dimension() {
                return 2;
            }

            @Override
            public void derivative(double t, double[] y, double[] dydt) {
                dydt[0] = Math.sin(t) * y[1] - y[0] * y[0] * y[0] / 3;
                dydt[1] = -y[0] + Math.cos(2 * t) * y[1] / 2;
            }
        };
    }

    /** Largest absolute difference. */
    static double maxAbsDiff(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException(a.length + " vs " + b.length);
        }
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    private static Problem problem(OdeSystem sys, double t0, double[] y0, java.util.function.DoubleFunction<double[]> ex) {
        return new Problem() {
            @Override
            public OdeSystem system() {
                return sys;
            }

            @Override
            public double t0() {
                return t0;
            }

            @Override
            public double[] y0() {
                return y0.clone();
            }

            @Override
            public double[] exact(double t) {
                return ex.apply(t);
            }
        };
    }
}
