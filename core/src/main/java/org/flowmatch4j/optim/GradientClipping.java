package org.flowmatch4j.optim;

import java.util.List;

import org.flowmatch4j.autodiff.Var;
import org.flowmatch4j.tensor.Tensor;

/** Gradient-norm clipping as PyTorch's {@code clip_grad_norm_}: if {@code ‖g‖₂ > max}, scale every gradient by {@code max/(‖g‖₂ + 1e−6)}. */
public final class GradientClipping {
    private GradientClipping() {
    }

    /** The global L2 norm of all gradients (accumulated in double). */
    public static double globalNorm(List<Var> params) {
        double s = 0;
        for (Var p : params) {
            Tensor g = p.grad();
            if (g != null) {
                for (int i = 0; i < g.numel(); i++) {
                    double x = g.getDouble(i);
                    s += x * x;
                }
            }
        }
        return Math.sqrt(s);
    }

    /**
     * Clips in place and returns the norm before clipping (NaN/Inf norms are returned unchanged and
     * nothing is scaled, so the caller can stop the run).
     */
    public static double clipNorm(List<Var> params, double maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("clipNorm: maxNorm must be positive, got " + maxNorm);
        }
        double norm = globalNorm(params);
        if (Double.isFinite(norm) && norm > maxNorm) {
            double scale = maxNorm / (norm + 1e-6);
            for (Var p : params) {
                if (p.grad() != null) {
                    p.grad().mulInPlace(scale);
                }
            }
        }
        return norm;
    }
}
