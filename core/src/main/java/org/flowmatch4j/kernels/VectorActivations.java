package org.flowmatch4j.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vectorised activations: {@code out = act(z)}, optionally {@code z ← act'(z)} from the same intermediates,
 * and {@code gradIn = gradOut ⊙ act'(z)}. Each activation has its own small loop, chosen once per call,
 * so the JIT compiles and scalarises every loop on its own whatever mix of activations a program uses
 * (one loop with a switch per element can stop vectors from being kept in registers). Tails use the
 * double-precision {@link Activation} reference.
 */
final class VectorActivations {
    private VectorActivations() {
    }

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int VL = S.length();
    private static final float SELU_SCALE = (float) Activation.SELU_SCALE;
    private static final float SELU_SA = (float) (Activation.SELU_SCALE * Activation.SELU_ALPHA);
    private static final float INV_SQRT2 = (float) SpecialFunctions.INV_SQRT2;
    private static final float INV_SQRT_2PI = (float) SpecialFunctions.INV_SQRT_2PI;
    private static final float SOFTPLUS_T = (float) Activation.SOFTPLUS_THRESHOLD;

    /** {@code out[oo+i] = act(c[co+i])}; with {@code deriv} also {@code c[co+i] = act'(c[co+i])}. */
    static void apply(Activation act, float[] c, int co, float[] out, int oo, int n, boolean deriv) {
        int done;
        switch (act) {
            case IDENTITY:
                if (c != out || co != oo) System.arraycopy(c, co, out, oo, n);
                if (deriv) java.util.Arrays.fill(c, co, co + n, 1f);
                return;
            case RELU:
                done = relu(c, co, out, oo, n, deriv);
                break;
            case SILU:
                done = silu(c, co, out, oo, n, deriv);
                break;
            case TANH:
                done = tanh(c, co, out, oo, n, deriv);
                break;
            case SIGMOID:
                done = sigmoid(c, co, out, oo, n, deriv);
                break;
            case SOFTPLUS:
                done = softplus(c, co, out, oo, n, deriv);
                break;
            case SELU:
                done = selu(c, co, out, oo, n, deriv);
                break;
            case GELU:
                done = gelu(c, co, out, oo, n, deriv);
                break;
            default:
                throw new AssertionError(act);
        }
        for (int i = done; i < n; i++) {
            double z = c[co + i];
            out[oo + i] = (float) act.apply(z);
            if (deriv) {
                c[co + i] = (float) act.derivative(z);
            }
        }
    }

    /** {@code gradIn[i] = gradOut[i]·act'(z[i])} (gradIn may alias gradOut). */
    static void backward(Activation act, float[] z, float[] gradOut, float[] gradIn, int n) {
        if (act == Activation.IDENTITY) {
            if (gradIn != gradOut) System.arraycopy(gradOut, 0, gradIn, 0, n);
            return;
        }
        // act'(z) into a scratch row block, then one multiply: reuses the fused forward+derivative loops
        float[] tmp = Buffers.get().floatsScratch(Math.min(n, 4096));
        float[] sink = Buffers.get().floatsSink(Math.min(n, 4096));
        for (int off = 0; off < n; off += 4096) {
            int len = Math.min(4096, n - off);
            System.arraycopy(z, off, tmp, 0, len);
            apply(act, tmp, 0, sink, 0, len, true);
            int i = 0;
            int ub = S.loopBound(len);
            for (; i < ub; i += VL) {
                FloatVector.fromArray(S, gradOut, off + i).mul(FloatVector.fromArray(S, tmp, i)).intoArray(gradIn, off + i);
            }
            for (; i < len; i++) {
                gradIn[off + i] = gradOut[off + i] * tmp[i];
            }
        }
    }

    private static FloatVector bc(float v) {
        return FloatVector.broadcast(S, v);
    }

    private static FloatVector one() {
        return FloatVector.broadcast(S, 1f);
    }

    private static FloatVector logistic(FloatVector z) {
        return one().div(VectorMath.exp(z.neg()).add(1f));
    }

    private static int relu(float[] c, int co, float[] out, int oo, int n, boolean deriv) {
        int ub = S.loopBound(n);
        for (int i = 0; i < ub; i += VL) {
            FloatVector z = FloatVector.fromArray(S, c, co + i);
            VectorMask<Float> pos = z.compare(VectorOperators.GT, 0f);
            z.max(0f).intoArray(out, oo + i);
            if (deriv) {
                FloatVector.zero(S).blend(one(), pos).intoArray(c, co + i);
            }
        }
        return ub;
    }

    /** 1.5·2²³ + 127: adding it leaves round(u) + 127, the biased exponent of 2^round(u), in the low mantissa bits. */
    private static final float SILU_ROUND = 12583039f;

    /**
     * silu(z) = z·σ(z), σ(z) = 1/(1 + e^−z), and silu'(z) = σ + y·(1 − σ) with y = z·σ. The exponential is
     * {@link VectorMath#exp}'s (the same clamp, ln2 split and Cephes polynomial) written for −z without negating it:
     * {@code n = round(−z·log₂e)}, {@code q = z + n·ln2} (so −z = n·ln2 − q), e^−q by the degree-7 polynomial in Horner
     * form with alternating signs, and the bias of 2ⁿ's exponent folded into the rounding constant. Four operations
     * fewer per vector than {@code z·logistic(z)}: it runs on every hidden unit of every training step.
     */
    private static int silu(float[] c, int co, float[] out, int oo, int n, boolean deriv) {
        int ub = S.loopBound(n);
        for (int i = 0; i < ub; i += VL) {
            FloatVector z = FloatVector.fromArray(S, c, co + i);
            // −z inside exp's range
            FloatVector zc = z.max(-VectorMath.EXP_MAX).min(-VectorMath.EXP_MIN);
            FloatVector t = zc.fma(-VectorMath.LOG2E, SILU_ROUND);
            FloatVector k = t.sub(SILU_ROUND);
            FloatVector q = k.fma(bc(VectorMath.LN2_HI), zc);
            q = k.fma(bc(-VectorMath.LN2_LO), q);
            FloatVector p = q.fma(-VectorMath.EXP_C7, VectorMath.EXP_C6);
            p = p.fma(q, bc(-VectorMath.EXP_C5));
            p = p.fma(q, bc(VectorMath.EXP_C4));
            p = p.fma(q, bc(-VectorMath.EXP_C3));
            p = p.fma(q, bc(VectorMath.EXP_C2));
            p = p.fma(q, bc(-1f));
            p = p.fma(q, bc(1f));
            FloatVector e = p.mul(t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
            FloatVector sg = one().div(e.add(1f));
            FloatVector y = z.mul(sg);
            y.intoArray(out, oo + i);
            if (deriv) {
                y.fma(one().sub(sg), sg).intoArray(c, co + i);
            }
        }
        return ub;
    }

    private static int tanh(float[] c, int co, float[] out, int oo, int n, boolean deriv) {
        int ub = S.loopBound(n);
        for (int i = 0; i < ub; i += VL) {
            FloatVector t = VectorMath.tanh(FloatVector.fromArray(S, c, co + i));
            t.intoArray(out, oo + i);
            if (deriv) {
                one().sub(t.mul(t)).intoArray(c, co + i);
            }
        }
        return ub;
    }

    private static int sigmoid(float[] c, int co, float[] out, int oo, int n, boolean deriv) {
        int ub = S.loopBound(n);
        for (int i = 0; i < ub; i += VL) {
            FloatVector s = logistic(FloatVector.fromArray(S, c, co + i));
            s.intoArray(out, oo + i);
            if (deriv) {
                s.mul(one().sub(s)).intoArray(c, co + i);
            }
        }
        return ub;
    }

    /** softplus(z) = max(z, 0) + log1p(e^−|z|) (z itself above the threshold); derivative σ(z). */
    private static int softplus(float[] c, int co, float[] out, int oo, int n, boolean deriv) {
        int ub = S.loopBound(n);
        for (int i = 0; i < ub; i += VL) {
            FloatVector z = FloatVector.fromArray(S, c, co + i);
            VectorMask<Float> big = z.compare(VectorOperators.GT, SOFTPLUS_T);
            FloatVector e = VectorMath.exp(z.abs().neg());
            z.max(0f).add(VectorMath.log1pUnit(e)).blend(z, big).intoArray(out, oo + i);
            if (deriv) {
                // σ(z) = 1/(1+e) for z ≥ 0 and e/(1+e) for z < 0, with e = exp(−|z|)
                FloatVector r = one().div(e.add(1f));
                r.blend(e.mul(r), z.compare(VectorOperators.LT, 0f)).blend(one(), big).intoArray(c, co + i);
            }
        }
        return ub;
    }

    private static int selu(float[] c, int co, float[] out, int oo, int n, boolean deriv) {
        int ub = S.loopBound(n);
        for (int i = 0; i < ub; i += VL) {
            FloatVector z = FloatVector.fromArray(S, c, co + i);
            VectorMask<Float> pos = z.compare(VectorOperators.GT, 0f);
            FloatVector neg = VectorMath.expm1(z).mul(SELU_SA);
            neg.blend(z.mul(SELU_SCALE), pos).intoArray(out, oo + i);
            if (deriv) {
                neg.add(SELU_SA).blend(FloatVector.broadcast(S, SELU_SCALE), pos).intoArray(c, co + i);
            }
        }
        return ub;
    }

    private static int gelu(float[] c, int co, float[] out, int oo, int n, boolean deriv) {
        int ub = S.loopBound(n);
        for (int i = 0; i < ub; i += VL) {
            FloatVector z = FloatVector.fromArray(S, c, co + i);
            FloatVector cdf = normalCdf(z);
            z.mul(cdf).intoArray(out, oo + i);
            if (deriv) {
                FloatVector pdf = VectorMath.exp(z.mul(z).mul(-0.5f)).mul(INV_SQRT_2PI);
                cdf.add(z.mul(pdf)).intoArray(c, co + i);
            }
        }
        return ub;
    }

    /** Standard normal CDF via erfc(u) ≈ t·exp(−u² + P(t)), t = 1/(1 + u/2) (relative error ~1.2e-7). */
    private static FloatVector normalCdf(FloatVector x) {
        FloatVector u = x.abs().mul(INV_SQRT2);
        FloatVector t = one().div(u.mul(0.5f).add(1f));
        FloatVector poly = t.mul(0.17087277f).add(-0.82215223f);
        poly = poly.mul(t).add(1.48851587f);
        poly = poly.mul(t).add(-1.13520398f);
        poly = poly.mul(t).add(0.27886807f);
        poly = poly.mul(t).add(-0.18628806f);
        poly = poly.mul(t).add(0.09678418f);
        poly = poly.mul(t).add(0.37409196f);
        poly = poly.mul(t).add(1.00002368f);
        poly = poly.mul(t).add(-1.26551223f);
        FloatVector erfc = t.mul(VectorMath.exp(poly.sub(u.mul(u))));
        FloatVector half = erfc.mul(0.5f);
        return one().sub(half).blend(half, x.compare(VectorOperators.LT, 0f));
    }

    // ------------------------------------------------------------------ second derivatives (autodiff tape)

    /**
     * {@code out[oo+i] = act''(z[zo+i])} (out may alias z); like {@link #apply}, one loop per activation and
     * tails from the double reference.
     */
    static void secondDerivative(Activation act, float[] z, int zo, float[] out, int oo, int n) {
        int done;
        switch (act) {
            case IDENTITY:
            case RELU:
                java.util.Arrays.fill(out, oo, oo + n, 0f);
                return;
            case SILU:
                done = siluSecond(z, zo, out, oo, n);
                break;
            case TANH:
                done = tanhSecond(z, zo, out, oo, n);
                break;
            case SIGMOID:
                done = sigmoidSecond(z, zo, out, oo, n);
                break;
            case SOFTPLUS:
                done = softplusSecond(z, zo, out, oo, n);
                break;
            case SELU:
                done = seluSecond(z, zo, out, oo, n);
                break;
            case GELU:
                done = geluSecond(z, zo, out, oo, n);
                break;
            default:
                throw new AssertionError(act);
        }
        for (int i = done; i < n; i++) {
            out[oo + i] = (float) act.secondDerivative(z[zo + i]);
        }
    }

    /** silu'' = σ(1 − σ)(2 + z(1 − 2σ)). */
    private static int siluSecond(float[] c, int co, float[] out, int oo, int n) {
        int ub = S.loopBound(n);
        for (int i = 0; i < ub; i += VL) {
            FloatVector z = FloatVector.fromArray(S, c, co + i);
            FloatVector s = logistic(z);
            FloatVector ds = s.mul(one().sub(s));
            FloatVector q = z.mul(s.mul(-2f).add(1f)).add(2f);
            ds.mul(q).intoArray(out, oo + i);
        }
        return ub;
    }

    /** tanh'' = −2t(1 − t²). */
    private static int tanhSecond(float[] c, int co, float[] out, int oo, int n) {
        int ub = S.loopBound(n);
        for (int i = 0; i < ub; i += VL) {
            FloatVector t = VectorMath.tanh(FloatVector.fromArray(S, c, co + i));
            t.mul(-2f).mul(one().sub(t.mul(t))).intoArray(out, oo + i);
        }
        return ub;
    }

    /** σ'' = σ(1 − σ)(1 − 2σ). */
    private static int sigmoidSecond(float[] c, int co, float[] out, int oo, int n) {
        int ub = S.loopBound(n);
        for (int i = 0; i < ub; i += VL) {
            FloatVector s = logistic(FloatVector.fromArray(S, c, co + i));
            s.mul(one().sub(s)).mul(s.mul(-2f).add(1f)).intoArray(out, oo + i);
        }
        return ub;
    }

    /** softplus'' = σ(1 − σ), and 0 above the threshold where softplus is the identity. */
    private static int softplusSecond(float[] c, int co, float[] out, int oo, int n) {
        int ub = S.loopBound(n);
        for (int i = 0; i < ub; i += VL) {
            FloatVector z = FloatVector.fromArray(S, c, co + i);
            FloatVector s = logistic(z);
            s.mul(one().sub(s)).blend(FloatVector.zero(S), z.compare(VectorOperators.GT, SOFTPLUS_T)).intoArray(out, oo + i);
        }
        return ub;
    }

    /** selu'' = scale·α·eᶻ for z ≤ 0, else 0. */
    private static int seluSecond(float[] c, int co, float[] out, int oo, int n) {
        int ub = S.loopBound(n);
        for (int i = 0; i < ub; i += VL) {
            FloatVector z = FloatVector.fromArray(S, c, co + i);
            VectorMath.exp(z).mul(SELU_SA).blend(FloatVector.zero(S), z.compare(VectorOperators.GT, 0f)).intoArray(out, oo + i);
        }
        return ub;
    }

    /** gelu'' = φ(z)(2 − z²). */
    private static int geluSecond(float[] c, int co, float[] out, int oo, int n) {
        int ub = S.loopBound(n);
        for (int i = 0; i < ub; i += VL) {
            FloatVector z = FloatVector.fromArray(S, c, co + i);
            FloatVector z2 = z.mul(z);
            VectorMath.exp(z2.mul(-0.5f)).mul(INV_SQRT_2PI).mul(FloatVector.broadcast(S, 2f).sub(z2)).intoArray(out, oo + i);
        }
        return ub;
    }
}
