package org.flowmatch4j.solver;

import static org.flowmatch4j.solver.DormandPrinceTableau.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The adaptive Dormand–Prince 5(4) method ("dopri5"): a 7-stage explicit Runge–Kutta pair that advances with the
 * 5th-order solution and estimates the local error as the difference to the embedded 4th-order one. The last
 * stage is evaluated at the new state and reused as the first stage of the next step (FSAL), so an attempted
 * step costs 6 function evaluations; a solve costs one more for {@code f(t0, y0)} and, with an automatic initial
 * step, one more for the step-size heuristic.
 *
 * <p><b>Step-size control.</b> With the error norm {@code err} of {@link AdaptiveOptions} (RMS over components of
 * {@code err_i / (atol + rtol·max(|y_i|, |ŷ_i|))}), a step is accepted when {@code err <= 1}, and the next step is
 * {@code h·clamp(}{@value #SAFETY}{@code ·err^(−1/5), }{@value #MIN_FACTOR}{@code , }{@value #MAX_FACTOR}{@code )}
 * (the exponent is 1/(q+1) for the embedded order q = 4). Right after a rejection the step may not grow, which
 * stops an accept/reject oscillation; a non-finite error (NaN or Inf in the state or the derivative) counts as a
 * rejection with the smallest factor. The last step is clipped to land exactly on {@code t1}.
 *
 * <p><b>Initial step</b> (when {@link AdaptiveOptions#initialStep()} is 0), Hairer, Nørsett &amp; Wanner,
 * Solving ODEs I, §II.4: with norms scaled by {@code atol + rtol·|y0_i|}, {@code d0 = ‖y0‖}, {@code d1 = ‖f0‖},
 * {@code h0 = 0.01·d0/d1} (or 1e-6 when either is below 1e-5), {@code d2 = ‖f(t0 + h0, y0 + h0·f0) − f0‖/h0},
 * {@code h1 = (0.01/max(d1, d2))^(1/5)}, and the first step is {@code min(100·h0, h1, |t1 − t0|)}.
 *
 * <p><b>Failure.</b> The solve throws {@link OdeSolverException} when the proposed step magnitude falls below
 * {@link AdaptiveOptions#minStep()} or below the resolution of {@code t}, or when accepted plus rejected steps
 * reach {@link AdaptiveOptions#maxSteps()}; it never loops without bound.
 *
 * <p><b>Trajectories.</b> {@link Recording#everyStep()} records {@code t0} and the end of every accepted step;
 * {@link Recording#atTimes} evaluates the 4th-order continuous extension (Hairer's {@code CONTD5}) inside the
 * accepted step that contains each time, which costs no function evaluations and does not change the steps taken.
 */
public final class DormandPrince54 implements OdeSolver {
    /** Safety factor applied to the optimal step-size ratio. */
    public static final double SAFETY = 0.9;
    /** Smallest ratio between consecutive step sizes. */
    public static final double MIN_FACTOR = 0.2;
    /** Largest ratio between consecutive step sizes. */
    public static final double MAX_FACTOR = 10.0;

    /** A proposed step that overshoots {@code t1} by less than this fraction of itself is stretched to land on it. */
    private static final double LANDING_SLACK = 1e-10;

    private final AdaptiveOptions options;

    /** dopri5 with {@link AdaptiveOptions#defaults()}. */
    public DormandPrince54() {
        this(AdaptiveOptions.defaults());
    }

    /** dopri5 with the given options. */
    public DormandPrince54(AdaptiveOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /** dopri5 with the given tolerances and the other options at their defaults. */
    public static DormandPrince54 withTolerances(double rtol, double atol) {
        return new DormandPrince54(AdaptiveOptions.tolerances(rtol, atol));
    }

    /** The options. */
    public AdaptiveOptions options() {
        return options;
    }

    @Override
    public String name() {
        return "dopri5";
    }

    @Override
    public OdeSolution solve(OdeSystem system, double t0, double[] y0, double t1, Recording recording) {
        States.check(name(), system, t0, y0, t1, recording);
        Recording.AtTimes at = recording instanceof Recording.AtTimes a ? a : null;
        if (at != null) {
            States.checkOutputTimes(name(), at, t0, t1);
        }
        boolean everyStep = recording instanceof Recording.EveryStep;
        List<Double> stepTimes = everyStep ? new ArrayList<>() : null;
        List<double[]> stepStates = everyStep ? new ArrayList<>() : null;
        double[][] atStates = at == null ? null : new double[at.count()][];
        int nextOut = 0;
        if (everyStep) {
            stepTimes.add(t0);
            stepStates.add(y0.clone());
        }
        while (at != null && nextOut < at.count() && at.time(nextOut) == t0) {
            atStates[nextOut++] = y0.clone();
        }
        if (t0 == t1) {
            return new OdeSolution(t1, y0, 0, 0, 0, trajectory(recording, stepTimes, stepStates, at, atStates));
        }

        double dir = Math.signum(t1 - t0);
        double rtol = options.rtol();
        double atol = options.atol();
        double minStep = options.minStep();
        int maxSteps = options.maxSteps();

        Stages st = new Stages(system, y0);
        system.derivative(t0, st.y, st.k1);
        int nfe = 1;
        double h;
        if (options.automaticInitialStep()) {
            h = dir * initialStep(system, t0, st.y, st.k1, t1, st.yNew, st.k2);
            nfe++;
        } else {
            h = dir * Math.min(options.initialStep(), Math.abs(t1 - t0));
        }

        double t = t0;
        int accepted = 0;
        int rejected = 0;
        boolean lastRejected = false;
        while (true) {
            if (accepted + rejected >= maxSteps) {
                throw new OdeSolverException(name(), OdeSolverException.Reason.TOO_MANY_STEPS,
                        "reached the cap of maxSteps=" + maxSteps + " steps before t1=" + t1, t, h, accepted, rejected,
                        nfe);
            }
            double remaining = t1 - t;
            boolean last = Math.abs(remaining) - Math.abs(h) <= LANDING_SLACK * Math.abs(h);
            // a step clipped to land on t1 may be shorter than minStep; only the controller's own proposals count
            if (!last && Math.abs(h) < minStep) {
                throw new OdeSolverException(name(), OdeSolverException.Reason.STEP_TOO_SMALL,
                        "step size fell below minStep=" + minStep + " before t1=" + t1, t, h, accepted, rejected, nfe);
            }
            double hs = last ? remaining : h;
            double tNew = last ? t1 : t + hs;
            if (tNew == t) {
                throw new OdeSolverException(name(), OdeSolverException.Reason.STEP_TOO_SMALL,
                        "step size is below the resolution of t before t1=" + t1, t, h, accepted, rejected, nfe);
            }
            double err = st.attempt(t, hs, tNew, rtol, atol);
            nfe += 6;

            if (err <= 1) {
                accepted++;
                if (at != null) {
                    while (nextOut < at.count() && dir * (at.time(nextOut) - tNew) <= 0) {
                        double tau = at.time(nextOut);
                        atStates[nextOut++] = tau == tNew ? st.yNew.clone() : st.interpolate((tau - t) / hs, hs);
                    }
                }
                if (everyStep) {
                    stepTimes.add(tNew);
                    stepStates.add(st.yNew.clone());
                }
                st.advance();
                t = tNew;
                if (last) {
                    break;
                }
                double factor = err == 0 ? MAX_FACTOR : SAFETY * Math.pow(err, -0.2);
                factor = Math.max(MIN_FACTOR, Math.min(lastRejected ? 1.0 : MAX_FACTOR, factor));
                h = hs * factor;
                lastRejected = false;
            } else {
                rejected++;
                double factor = Double.isFinite(err) ? Math.max(MIN_FACTOR, SAFETY * Math.pow(err, -0.2)) : MIN_FACTOR;
                h = hs * factor;
                lastRejected = true;
            }
        }
        return new OdeSolution(t1, st.y, nfe, accepted, rejected, trajectory(recording, stepTimes, stepStates, at,
                atStates));
    }

    /**
     * The state, the stages and the scratch array of one solve, allocated once. Kept apart from the control loop so
     * the JIT compiles the arithmetic as a small, frequently called method.
     */
    private static final class Stages {
        final OdeSystem system;
        final int n;
        double[] y;
        double[] yNew;
        final double[] tmp;
        double[] k1;
        final double[] k2;
        final double[] k3;
        final double[] k4;
        final double[] k5;
        final double[] k6;
        double[] k7;

        Stages(OdeSystem system, double[] y0) {
            this.system = system;
            this.n = y0.length;
            y = y0.clone();
            yNew = new double[n];
            tmp = new double[n];
            k1 = new double[n];
            k2 = new double[n];
            k3 = new double[n];
            k4 = new double[n];
            k5 = new double[n];
            k6 = new double[n];
            k7 = new double[n];
        }

        /** Evaluates stages 2..7 of a step of size {@code hs} from {@code (t, y)}; returns the error norm. */
        double attempt(double t, double hs, double tNew, double rtol, double atol) {
            double[] y = this.y;
            double[] k1 = this.k1;
            for (int i = 0; i < n; i++) {
                tmp[i] = y[i] + hs * (A21 * k1[i]);
            }
            system.derivative(t + C2 * hs, tmp, k2);
            for (int i = 0; i < n; i++) {
                tmp[i] = y[i] + hs * (A31 * k1[i] + A32 * k2[i]);
            }
            system.derivative(t + C3 * hs, tmp, k3);
            for (int i = 0; i < n; i++) {
                tmp[i] = y[i] + hs * (A41 * k1[i] + A42 * k2[i] + A43 * k3[i]);
            }
            system.derivative(t + C4 * hs, tmp, k4);
            for (int i = 0; i < n; i++) {
                tmp[i] = y[i] + hs * (A51 * k1[i] + A52 * k2[i] + A53 * k3[i] + A54 * k4[i]);
            }
            system.derivative(t + C5 * hs, tmp, k5);
            for (int i = 0; i < n; i++) {
                tmp[i] = y[i] + hs * (A61 * k1[i] + A62 * k2[i] + A63 * k3[i] + A64 * k4[i] + A65 * k5[i]);
            }
            system.derivative(tNew, tmp, k6);
            double[] yNew = this.yNew;
            for (int i = 0; i < n; i++) {
                yNew[i] = y[i] + hs * (B1 * k1[i] + B3 * k3[i] + B4 * k4[i] + B5 * k5[i] + B6 * k6[i]);
            }
            double[] k7 = this.k7;
            system.derivative(tNew, yNew, k7);
            return errorNorm(hs, rtol, atol);
        }

        private double errorNorm(double hs, double rtol, double atol) {
            if (n == 0) {
                return 0;
            }
            double[] y = this.y;
            double[] yNew = this.yNew;
            double[] k1 = this.k1;
            double[] k7 = this.k7;
            double sum = 0;
            for (int i = 0; i < n; i++) {
                double e = hs * (E1 * k1[i] + E3 * k3[i] + E4 * k4[i] + E5 * k5[i] + E6 * k6[i] + E7 * k7[i]);
                double r = e / (atol + rtol * Math.max(Math.abs(y[i]), Math.abs(yNew[i])));
                sum += r * r;
            }
            return Math.sqrt(sum / n);
        }

        /** Accepts the step: the new state becomes the current one and the last stage the next first (FSAL). */
        void advance() {
            double[] swap = y;
            y = yNew;
            yNew = swap;
            swap = k1;
            k1 = k7;
            k7 = swap;
        }

        /**
         * The continuous extension at {@code t + s·h}: with {@code Δ = ŷ − y}, {@code b = h·k1 − Δ},
         * {@code c = Δ − h·k7 − b} and {@code d = h·Σ d_j k_j},
         * {@code y(s) = y + s·(Δ + (1−s)·(b + s·(c + (1−s)·d)))}; it matches {@code y}, {@code ŷ} and both end
         * slopes.
         */
        double[] interpolate(double s, double h) {
            double s1 = 1 - s;
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                double delta = yNew[i] - y[i];
                double b = h * k1[i] - delta;
                double c = delta - h * k7[i] - b;
                double d = h * (D1 * k1[i] + D3 * k3[i] + D4 * k4[i] + D5 * k5[i] + D6 * k6[i] + D7 * k7[i]);
                out[i] = y[i] + s * (delta + s1 * (b + s * (c + s1 * d)));
            }
            return out;
        }
    }

    private static Optional<Trajectory> trajectory(Recording recording, List<Double> stepTimes,
            List<double[]> stepStates, Recording.AtTimes at, double[][] atStates) {
        if (at != null) {
            return Optional.of(new Trajectory(at.times(), atStates));
        }
        if (recording instanceof Recording.EveryStep) {
            double[] times = new double[stepTimes.size()];
            for (int k = 0; k < times.length; k++) {
                times[k] = stepTimes.get(k);
            }
            return Optional.of(new Trajectory(times, stepStates.toArray(new double[0][])));
        }
        return Optional.empty();
    }

    /** Hairer's initial-step heuristic; uses {@code y1} and {@code f1} as scratch and costs one evaluation. */
    private double initialStep(OdeSystem system, double t0, double[] y0, double[] f0, double t1, double[] y1,
            double[] f1) {
        int n = y0.length;
        double span = Math.abs(t1 - t0);
        if (n == 0) {
            return span;
        }
        double rtol = options.rtol();
        double atol = options.atol();
        double dir = Math.signum(t1 - t0);
        double sy = 0;
        double sf = 0;
        for (int i = 0; i < n; i++) {
            double scale = atol + rtol * Math.abs(y0[i]);
            sy += (y0[i] / scale) * (y0[i] / scale);
            sf += (f0[i] / scale) * (f0[i] / scale);
        }
        double d0 = Math.sqrt(sy / n);
        double d1 = Math.sqrt(sf / n);
        double h0 = d0 < 1e-5 || d1 < 1e-5 || !Double.isFinite(d1) ? 1e-6 : 0.01 * d0 / d1;
        h0 = Math.min(h0, span);
        for (int i = 0; i < n; i++) {
            y1[i] = y0[i] + dir * h0 * f0[i];
        }
        system.derivative(t0 + dir * h0, y1, f1);
        double sd = 0;
        for (int i = 0; i < n; i++) {
            double scale = atol + rtol * Math.abs(y0[i]);
            double r = (f1[i] - f0[i]) / scale;
            sd += r * r;
        }
        double d2 = Math.sqrt(sd / n) / h0;
        double dmax = Math.max(d1, d2);
        double h1 = dmax <= 1e-15 ? Math.max(1e-6, h0 * 1e-3) : Math.pow(0.01 / dmax, 0.2);
        double h = Math.min(100 * h0, h1);
        if (!(h > 0) || !Double.isFinite(h)) {
            h = h0;
        }
        return Math.min(h, span);
    }

    @Override
    public String toString() {
        return "dopri5" + options;
    }
}
