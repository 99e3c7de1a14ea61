package org.flowmatch4j.cnf;

import java.util.Objects;

import org.flowmatch4j.autodiff.Var;
import org.flowmatch4j.cnf.CnfDynamics.Derivative;
import org.flowmatch4j.solver.AdaptiveOptions;
import org.flowmatch4j.solver.DormandPrince54;
import org.flowmatch4j.solver.DormandPrinceTableau;
import org.flowmatch4j.solver.OdeSolverException;
import org.flowmatch4j.tensor.Tensor;

/**
 * Adaptive Dormand–Prince 5(4) on the tape. The stages of every attempted step are recorded (they are
 * needed before acceptance is known); the step-size control works on plain values outside the gradient, so
 * only the accepted steps' stages are reachable from the result and backpropagated (the step sizes are
 * treated as constants, as in discretise-then-optimise with an adaptive grid). The control is the one of
 * {@link DormandPrince54}: the RMS error norm over the augmented state {@code [z, L]} of
 * {@code h·Σ e_j k_j / (atol + rtol·max(|y|, |ŷ|))}, accept when it is at most 1, the next step
 * {@code h·clamp(0.9·err^(−1/5), 0.2, 10)} (no growth right after a rejection), FSAL, Hairer's initial step,
 * and an {@link OdeSolverException} when the step falls below {@code minStep} or the attempts reach
 * {@code maxSteps}.
 */
public final class DormandPrinceTapeSolver implements TapeSolver {
    private static final double LANDING_SLACK = 1e-10;
    private static final double[][] A = DormandPrinceTableau.a();
    private static final double[] B = DormandPrinceTableau.b();
    private static final double[] C = DormandPrinceTableau.c();
    private static final double[] E = DormandPrinceTableau.e();

    private final AdaptiveOptions options;

    /** dopri5 on the tape with the given tolerances, first step, minimum step and step cap. */
    public DormandPrinceTapeSolver(AdaptiveOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    @Override
    public String name() {
        return "dopri5";
    }

    /** The options. */
    public AdaptiveOptions options() {
        return options;
    }

    @Override
    public TapeSolution solve(CnfDynamics f, Var z0, double t0, double t1) {
        Var zero = Var.constant(Tensor.zeros(z0.dtype(), f.batch()));
        if (t0 == t1) {
            return new TapeSolution(z0, zero, 0, 0, 0);
        }
        double dir = Math.signum(t1 - t0);
        double rtol = options.rtol();
        double atol = options.atol();
        Var z = z0;
        Var integral = zero;
        Derivative first = f.evaluate(t0, z);
        Var[] k = new Var[7];
        Var[] div = new Var[7];
        k[0] = first.velocity();
        div[0] = first.divergence();
        int nfe = 1;
        double h;
        if (options.automaticInitialStep()) {
            h = dir * initialStep(f, t0, z, k[0], div[0], t1);
            nfe++;
        } else {
            h = dir * Math.min(options.initialStep(), Math.abs(t1 - t0));
        }
        double t = t0;
        int accepted = 0;
        int rejected = 0;
        boolean lastRejected = false;
        while (true) {
            if (accepted + rejected >= options.maxSteps()) {
                throw new OdeSolverException(name(), OdeSolverException.Reason.TOO_MANY_STEPS, "reached the cap of maxSteps="
                        + options.maxSteps() + " steps before t1=" + t1, t, h, accepted, rejected, nfe);
            }
            double remaining = t1 - t;
            boolean last = Math.abs(remaining) - Math.abs(h) <= LANDING_SLACK * Math.abs(h);
            if (!last && Math.abs(h) < options.minStep()) {
                throw new OdeSolverException(name(), OdeSolverException.Reason.STEP_TOO_SMALL, "step size fell below minStep="
                        + options.minStep() + " before t1=" + t1, t, h, accepted, rejected, nfe);
            }
            double hs = last ? remaining : h;
            double tNew = last ? t1 : t + hs;
            if (tNew == t) {
                throw new OdeSolverException(name(), OdeSolverException.Reason.STEP_TOO_SMALL,
                        "step size is below the resolution of t before t1=" + t1, t, h, accepted, rejected, nfe);
            }
            for (int i = 1; i < 6; i++) {
                Derivative dv = f.evaluate(t + C[i] * hs, FixedStepTapeSolver.combine(z, hs, A[i], k));
                k[i] = dv.velocity();
                div[i] = dv.divergence();
            }
            Var zNew = FixedStepTapeSolver.combine(z, hs, B, k);
            Var integralNew = integral.add(FixedStepTapeSolver.combine(null, hs, B, div));
            Derivative last7 = f.evaluate(tNew, zNew);
            k[6] = last7.velocity();
            div[6] = last7.divergence();
            nfe += 6;
            double err = errorNorm(hs, k, div, z, zNew, integral, integralNew, rtol, atol);
            if (err <= 1) {
                accepted++;
                z = zNew;
                integral = integralNew;
                k[0] = k[6];
                div[0] = div[6];
                t = tNew;
                if (last) {
                    break;
                }
                double factor = err == 0 ? DormandPrince54.MAX_FACTOR : DormandPrince54.SAFETY * Math.pow(err, -0.2);
                factor = Math.max(DormandPrince54.MIN_FACTOR, Math.min(lastRejected ? 1.0 : DormandPrince54.MAX_FACTOR, factor));
                h = hs * factor;
                lastRejected = false;
            } else {
                rejected++;
                double factor = Double.isFinite(err)
                        ? Math.max(DormandPrince54.MIN_FACTOR, DormandPrince54.SAFETY * Math.pow(err, -0.2))
                        : DormandPrince54.MIN_FACTOR;
                h = hs * factor;
                lastRejected = true;
            }
        }
        return new TapeSolution(z, integral, nfe, accepted, rejected);
    }

    /** The RMS scaled error of the step over all components of {@code [z, L]}, from plain values. */
    private static double errorNorm(double hs, Var[] k, Var[] div, Var z, Var zNew, Var l, Var lNew, double rtol,
            double atol) {
        double sum = part(hs, k, z.value(), zNew.value(), rtol, atol) + part(hs, div, l.value(), lNew.value(), rtol, atol);
        int n = z.value().numel() + l.value().numel();
        return Math.sqrt(sum / n);
    }

    private static double part(double hs, Var[] k, Tensor y, Tensor yNew, double rtol, double atol) {
        Tensor[] kv = new Tensor[7];
        for (int j = 0; j < 7; j++) {
            kv[j] = k[j].value();
        }
        double sum = 0;
        int n = y.numel();
        for (int i = 0; i < n; i++) {
            double e = 0;
            for (int j = 0; j < 7; j++) {
                if (E[j] != 0) {
                    e += E[j] * kv[j].getDouble(i);
                }
            }
            e *= hs;
            double r = e / (atol + rtol * Math.max(Math.abs(y.getDouble(i)), Math.abs(yNew.getDouble(i))));
            sum += r * r;
        }
        return sum;
    }

    /** Hairer's initial-step heuristic on the augmented state; its one evaluation is discarded from the result. */
    private double initialStep(CnfDynamics f, double t0, Var z0, Var v0, Var div0, double t1) {
        double span = Math.abs(t1 - t0);
        double dir = Math.signum(t1 - t0);
        double rtol = options.rtol();
        double atol = options.atol();
        Tensor y = z0.value();
        Tensor fz = v0.value();
        Tensor fl = div0.value();
        int nz = y.numel();
        int n = nz + fl.numel();
        double sy = 0;
        double sf = 0;
        for (int i = 0; i < nz; i++) {
            double scale = atol + rtol * Math.abs(y.getDouble(i));
            sy += sq(y.getDouble(i) / scale);
            sf += sq(fz.getDouble(i) / scale);
        }
        for (int i = 0; i < fl.numel(); i++) {
            sf += sq(fl.getDouble(i) / atol); // L starts at 0
        }
        double d0 = Math.sqrt(sy / n);
        double d1 = Math.sqrt(sf / n);
        double h0 = d0 < 1e-5 || d1 < 1e-5 || !Double.isFinite(d1) ? 1e-6 : 0.01 * d0 / d1;
        h0 = Math.min(h0, span);
        Derivative g = f.evaluate(t0 + dir * h0, z0.add(v0.mul(dir * h0)));
        Tensor gz = g.velocity().value();
        Tensor gl = g.divergence().value();
        double sd = 0;
        for (int i = 0; i < nz; i++) {
            double scale = atol + rtol * Math.abs(y.getDouble(i));
            sd += sq((gz.getDouble(i) - fz.getDouble(i)) / scale);
        }
        for (int i = 0; i < gl.numel(); i++) {
            sd += sq((gl.getDouble(i) - fl.getDouble(i)) / atol);
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

    private static double sq(double x) {
        return x * x;
    }
}
