package org.flowmatch4j.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Transcendental functions on float vectors built only from correctly rounded operations (add, mul,
 * fma, div, compare, bit reinterpretation). The Vector API's own {@code EXP}/{@code TANH}/{@code LOG1P}
 * lanewise ops run through a native math library once compiled but through {@link Math} while
 * interpreted, so their last bit depends on when the JIT compiles a loop; these give the same bits in
 * every tier, which keeps training runs reproducible. Relative error ≤ 2e-7 (float32 rounding level).
 */
final class VectorMath {
    private VectorMath() {
    }

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final float ROUND = 12582912f; // 1.5·2^23: adding it rounds to an integer in the low mantissa bits
    private static final int ROUND_BITS = 0x4B400000;

    /** exp's input range: n stays in [−126, 127], a normal exponent. */
    static final float EXP_MIN = -87.3f;
    static final float EXP_MAX = 88.3f;
    static final float LOG2E = 1.44269504f;
    /** ln2 = LN2_HI − LN2_LO, LN2_HI short enough that n·LN2_HI is exact. */
    static final float LN2_HI = 0.693359375f;
    static final float LN2_LO = 2.12194440e-4f;
    /** Cephes coefficients of r², …, r⁷ in e^r ≈ 1 + r + C2·r² + … + C7·r⁷ for |r| ≤ ln2/2. */
    static final float EXP_C2 = 5.0000001201e-1f;
    static final float EXP_C3 = 1.6666665459e-1f;
    static final float EXP_C4 = 4.1665795894e-2f;
    static final float EXP_C5 = 8.3334519073e-3f;
    static final float EXP_C6 = 1.3981999507e-3f;
    static final float EXP_C7 = 1.9875691500e-4f;

    /**
     * e^x: {@code x = n·ln2 + r} with |r| ≤ ln2/2 (ln2 split in two parts for an exact product),
     * {@code e^r} by a degree-7 polynomial (Cephes coefficients), {@code 2^n} by writing the exponent
     * bits. Inputs are clamped to [−87.3, 88.3] (n ∈ [−126, 127], a normal exponent), so e^x underflows
     * to ~1e-38 rather than 0 and saturates at ~2e38 rather than +∞.
     */
    static FloatVector exp(FloatVector x) {
        x = x.max(EXP_MIN).min(EXP_MAX);
        FloatVector t = x.fma(FloatVector.broadcast(S, LOG2E), FloatVector.broadcast(S, ROUND));
        FloatVector n = t.sub(ROUND);
        FloatVector r = n.fma(FloatVector.broadcast(S, -LN2_HI), x);
        r = n.fma(FloatVector.broadcast(S, LN2_LO), r);
        FloatVector p = r.fma(FloatVector.broadcast(S, EXP_C7), FloatVector.broadcast(S, EXP_C6));
        p = p.fma(r, FloatVector.broadcast(S, EXP_C5));
        p = p.fma(r, FloatVector.broadcast(S, EXP_C4));
        p = p.fma(r, FloatVector.broadcast(S, EXP_C3));
        p = p.fma(r, FloatVector.broadcast(S, EXP_C2));
        p = p.fma(r.mul(r), r).add(1f);
        // 2^n: n sits in the low mantissa bits of t; move it (biased) into the exponent field
        IntVector bits = t.reinterpretAsInts().sub(ROUND_BITS - 127).lanewise(VectorOperators.LSHL, 23);
        return p.mul(bits.reinterpretAsFloats());
    }

    /** e^x − 1, accurate near 0: a Taylor polynomial to x⁸ for |x| &lt; 0.5, {@code exp(x) − 1} beyond. */
    static FloatVector expm1(FloatVector x) {
        FloatVector p = x.fma(FloatVector.broadcast(S, 1f / 40320f), FloatVector.broadcast(S, 1f / 5040f));
        p = p.fma(x, FloatVector.broadcast(S, 1f / 720f));
        p = p.fma(x, FloatVector.broadcast(S, 1f / 120f));
        p = p.fma(x, FloatVector.broadcast(S, 1f / 24f));
        p = p.fma(x, FloatVector.broadcast(S, 1f / 6f));
        p = p.fma(x, FloatVector.broadcast(S, 0.5f));
        FloatVector small = p.mul(x).fma(x, x);
        FloatVector big = exp(x).sub(1f);
        return big.blend(small, x.abs().compare(VectorOperators.LT, 0.5f));
    }

    /** tanh x = −sign(x)·expm1(−2|x|) / (2 + expm1(−2|x|)). */
    static FloatVector tanh(FloatVector x) {
        FloatVector e = expm1(x.abs().mul(-2f));
        FloatVector r = e.neg().div(e.add(2f));
        return r.blend(r.neg(), x.compare(VectorOperators.LT, 0f));
    }

    /**
     * ln(1 + u) for u ∈ [0, 1]: with {@code s = u/(2 + u)} ∈ [0, 1/3],
     * {@code ln(1+u) = 2·atanh(s) = 2s·(1 + s²/3 + s⁴/5 + … + s¹⁴/15)}.
     */
    static FloatVector log1pUnit(FloatVector u) {
        FloatVector s = u.div(u.add(2f));
        FloatVector s2 = s.mul(s);
        FloatVector p = s2.fma(FloatVector.broadcast(S, 1f / 15f), FloatVector.broadcast(S, 1f / 13f));
        p = p.fma(s2, FloatVector.broadcast(S, 1f / 11f));
        p = p.fma(s2, FloatVector.broadcast(S, 1f / 9f));
        p = p.fma(s2, FloatVector.broadcast(S, 1f / 7f));
        p = p.fma(s2, FloatVector.broadcast(S, 1f / 5f));
        p = p.fma(s2, FloatVector.broadcast(S, 1f / 3f));
        p = p.fma(s2, FloatVector.broadcast(S, 1f));
        return p.mul(s).mul(2f);
    }
}
