package org.flowmatch4j.kernels;

/**
 * Special functions in double precision used by the activations.
 *
 * <p>{@link #erf(double)} and {@link #erfc(double)} use W. J. Cody's rational Chebyshev
 * approximations (Math. Comp. 23, 1969) on the three ranges {@code |x| <= 0.5},
 * {@code 0.5 < |x| <= 4} and {@code |x| > 4}; relative error is about 1e-16 in erf and below
 * 1e-15 in erfc. {@code erfc(x) = exp(-x²) · R(x)} on the outer ranges, with {@code exp(-x²)}
 * evaluated as {@code exp(-xs²)·exp(-(x-xs)(x+xs))}, {@code xs = x} rounded to 1/16, to keep full
 * relative accuracy in the tail.
 */
public final class SpecialFunctions {
    private SpecialFunctions() {}

    /** 1/√π. */
    static final double INV_SQRT_PI = 0.56418958354775628695;
    /** 1/√(2π). */
    public static final double INV_SQRT_2PI = 0.39894228040143267794;
    /** 1/√2. */
    public static final double INV_SQRT2 = 0.70710678118654752440;

    private static final double[] A = {3.16112374387056560e00, 1.13864154151050156e02,
        3.77485237685302021e02, 3.20937758913846947e03, 1.85777706184603153e-1};
    private static final double[] B = {2.36012909523441209e01, 2.44024637934444173e02,
        1.28261652607737228e03, 2.84423683343917062e03};
    private static final double[] C = {5.64188496988670089e-1, 8.88314979438837594e00,
        6.61191906371416295e01, 2.98635138197400131e02, 8.81952221241769090e02,
        1.71204761263407058e03, 2.05107837782607147e03, 1.23033935479799725e03,
        2.15311535474403846e-8};
    private static final double[] D = {1.57449261107098347e01, 1.17693950891312499e02,
        5.37181101862009858e02, 1.62138957456669019e03, 3.29079923573345963e03,
        4.36261909014324716e03, 3.43936767414372164e03, 1.23033935480374942e03};
    private static final double[] P = {3.05326634961232344e-1, 3.60344899949804439e-1,
        1.25781726111229246e-1, 1.60837851487422766e-2, 6.58749161529837803e-4,
        1.63153871373020978e-2};
    private static final double[] Q = {2.56852019228982242e00, 1.87295284992346725e00,
        5.27905102951428412e-1, 6.05183413124413191e-2, 2.33520497626869185e-3};

    /** The error function {@code erf(x) = 2/√π ∫₀ˣ exp(-t²) dt}. */
    public static double erf(double x) {
        if (Double.isNaN(x)) return x;
        double y = Math.abs(x);
        if (y <= 0.5) return x * small(y);
        double r = 1.0 - tail(y);
        return x < 0 ? -r : r;
    }

    /** The complementary error function {@code erfc(x) = 1 - erf(x)}, accurate in the tail. */
    public static double erfc(double x) {
        if (Double.isNaN(x)) return x;
        double y = Math.abs(x);
        if (y <= 0.5) return 1.0 - x * small(y);
        double t = tail(y);
        return x < 0 ? 2.0 - t : t;
    }

    /** Standard normal CDF Φ(x) = erfc(-x/√2)/2. */
    public static double normalCdf(double x) {
        return 0.5 * erfc(-x * INV_SQRT2);
    }

    /** Standard normal density φ(x). */
    public static double normalPdf(double x) {
        return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
    }

    /** erf(y)/y for |y| <= 0.5. */
    private static double small(double y) {
        double z = y > 1.11e-16 ? y * y : 0.0;
        double num = A[4] * z, den = z;
        for (int i = 0; i < 3; i++) {
            num = (num + A[i]) * z;
            den = (den + B[i]) * z;
        }
        return (num + A[3]) / (den + B[3]);
    }

    /** erfc(y) for y > 0.5. */
    private static double tail(double y) {
        if (y >= 26.7) return 0.0;
        double r;
        if (y <= 4.0) {
            double num = C[8] * y, den = y;
            for (int i = 0; i < 7; i++) {
                num = (num + C[i]) * y;
                den = (den + D[i]) * y;
            }
            r = (num + C[7]) / (den + D[7]);
        } else {
            double z = 1.0 / (y * y);
            double num = P[5] * z, den = z;
            for (int i = 0; i < 4; i++) {
                num = (num + P[i]) * z;
                den = (den + Q[i]) * z;
            }
            r = z * (num + P[4]) / (den + Q[4]);
            r = (INV_SQRT_PI - r) / y;
        }
        double ys = Math.floor(y * 16.0) / 16.0;
        double del = (y - ys) * (y + ys);
        return Math.exp(-ys * ys) * Math.exp(-del) * r;
    }
}
