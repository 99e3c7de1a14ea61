package org.flowmatch4j.path;

import java.util.Arrays;

import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.tensor.Shapes;
import org.flowmatch4j.tensor.Tensor;

/**
 * The affine Gaussian conditional path driven by a {@link Scheduler}:
 * {@code x_t = α_t·x1 + σ_t·x0} with target velocity {@code u_t = α'_t·x1 + σ'_t·x0}, evaluated per row at
 * that row's time. Deterministic: the Rng argument of {@link #sample} is ignored (may be null).
 *
 * <p>Because x_t is linear in (x1, x0), a prediction of any one of velocity, x1 or ε = x0 at (t, x_t) determines
 * the other two. With α, σ, α', σ' at the row's time, the six conversions used by {@link #convert} are
 * <pre>
 *   x1 → ε : ε  = (x_t − α·x1)/σ                          singular where σ_t = 0 (t = 1 for most schedulers)
 *   x1 → v : v  = (σ'/σ)·x_t + (α' − α·σ'/σ)·x1           singular where σ_t = 0
 *   ε  → x1: x1 = (x_t − σ·ε)/α                           singular where α_t = 0 (t = 0 for most schedulers)
 *   ε  → v : v  = (α'/α)·x_t + (σ' − σ·α'/α)·ε            singular where α_t = 0
 *   v  → x1: x1 = (σ'·x_t − σ·v)/D                        singular where D = α·σ' − σ·α' = 0
 *   v  → ε : ε  = (α·v − α'·x_t)/D                        singular where D = 0
 * </pre>
 * (the last two solve the 2×2 system {@code x_t = α·x1 + σ·ε, v = α'·x1 + σ'·ε}; D ≠ 0 for every scheduler in
 * this package since α' > 0 ≥ σ' and α, σ ≥ 0 do not vanish together, e.g. D = −1 for CondOT, −π/2 for
 * cosine). A conversion evaluated at a time where its divisor is exactly 0 throws
 * {@link IllegalArgumentException} naming the row and the time; near such times the result is finite but
 * amplifies the prediction's error by 1/σ, 1/α or 1/D.
 *
 * @param scheduler the α, σ schedule
 */
public record AffinePath(Scheduler scheduler) implements ProbabilityPath {
    /** Validates the scheduler. */
    public AffinePath {
        if (scheduler == null) {
            throw new IllegalArgumentException("AffinePath: scheduler must not be null");
        }
    }

    @Override
    public PathSample sample(Tensor x0, Tensor x1, Tensor t, Rng rng) {
        int batch = Batches.checkPair("AffinePath.sample", x0, x1, t);
        int n = Batches.rowSize(x0);
        Tensor xt = Tensor.zeros(x0.dtype(), x0.shape());
        Tensor ut = Tensor.zeros(x0.dtype(), x0.shape());
        for (int i = 0; i < batch; i++) {
            double ti = Batches.time(t, i);
            int off = i * n;
            Batches.combine(xt, scheduler.alpha(ti), x1, scheduler.sigma(ti), x0, off, n);
            Batches.combine(ut, scheduler.alphaDot(ti), x1, scheduler.sigmaDot(ti), x0, off, n);
        }
        return new PathSample(t, x0, x1, xt, ut);
    }

    /**
     * The regression target for a network predicting {@code target}: x1 for {@link PredictionTarget#X1}, x0 for
     * {@link PredictionTarget#EPSILON}, u_t for {@link PredictionTarget#VELOCITY} (the sample's own tensor, not a copy).
     */
    public Tensor target(PathSample sample, PredictionTarget target) {
        if (sample == null || target == null) {
            throw new IllegalArgumentException("AffinePath.target: sample and target must not be null");
        }
        return switch (target) {
            case VELOCITY -> sample.ut();
            case X1 -> sample.x1();
            case EPSILON -> sample.x0();
        };
    }

    /**
     * Converts a prediction of kind {@code from} at (t, x_t) into the equivalent prediction of kind {@code to},
     * using the closed forms in the class comment. Returns a new tensor of the prediction's shape and type (a copy
     * when from == to).
     *
     * @param prediction [B, ...] the network output
     * @param xt         [B, ...] the points it was evaluated at, same shape and type
     * @param t          [B] (or [1], broadcast) the times
     */
    public Tensor convert(Tensor prediction, PredictionTarget from, PredictionTarget to, Tensor xt, Tensor t) {
        String op = "AffinePath.convert " + from + " -> " + to;
        if (prediction == null || xt == null || t == null || from == null || to == null) {
            throw new IllegalArgumentException(op + ": no argument may be null");
        }
        if (prediction.rank() < 2 || !Arrays.equals(prediction.shape(), xt.shape()) || prediction.dtype() != xt.dtype()) {
            throw new IllegalArgumentException(op + ": prediction (" + prediction.dtype().label() + " "
                    + Shapes.str(prediction.shape()) + ") and xt (" + xt.dtype().label() + " " + Shapes.str(xt.shape())
                    + ") must be [B, d] of the same shape and type");
        }
        int batch = prediction.size(0);
        Batches.checkTime(op, t, batch, prediction, true);
        if (from == to) {
            return prediction.copy();
        }
        int n = Batches.rowSize(prediction);
        Tensor out = Tensor.zeros(prediction.dtype(), prediction.shape());
        for (int i = 0; i < batch; i++) {
            double ti = Batches.time(t, i);
            double a = scheduler.alpha(ti);
            double s = scheduler.sigma(ti);
            double ad = scheduler.alphaDot(ti);
            double sd = scheduler.sigmaDot(ti);
            double cx;
            double cp;
            switch (from) {
                case X1 -> {
                    requireNonZero(op, s, "sigma_t", i, ti);
                    if (to == PredictionTarget.EPSILON) {
                        cx = 1.0 / s;
                        cp = -a / s;
                    } else {
                        cx = sd / s;
                        cp = ad - a * sd / s;
                    }
                }
                case EPSILON -> {
                    requireNonZero(op, a, "alpha_t", i, ti);
                    if (to == PredictionTarget.X1) {
                        cx = 1.0 / a;
                        cp = -s / a;
                    } else {
                        cx = ad / a;
                        cp = sd - s * ad / a;
                    }
                }
                default -> {
                    double det = a * sd - s * ad;
                    requireNonZero(op, det, "alpha_t*sigma'_t - sigma_t*alpha'_t", i, ti);
                    if (to == PredictionTarget.X1) {
                        cx = sd / det;
                        cp = -s / det;
                    } else {
                        cx = -ad / det;
                        cp = a / det;
                    }
                }
            }
            Batches.combine(out, cx, xt, cp, prediction, i * n, n);
        }
        return out;
    }

    private void requireNonZero(String op, double divisor, String what, int row, double t) {
        if (divisor == 0.0 || !Double.isFinite(divisor)) {
            throw new IllegalArgumentException(op + " is singular at t = " + t + " (row " + row + "): " + what + " = "
                    + divisor + " for scheduler " + scheduler.name());
        }
    }
}
