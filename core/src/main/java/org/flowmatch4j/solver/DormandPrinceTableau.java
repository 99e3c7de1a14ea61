package org.flowmatch4j.solver;

/**
 * The Butcher tableau of the Dormand–Prince 5(4) pair (Dormand &amp; Prince 1980) and the coefficients of its
 * 4th-order continuous extension (Hairer, Nørsett &amp; Wanner, Solving ODEs I, §II.6). Rows are stages 1..7;
 * the 7th stage is evaluated at the new state, so it is the next step's first stage (FSAL).
 */
public final class DormandPrinceTableau {
    private DormandPrinceTableau() {}

    static final double C2 = 1.0 / 5, C3 = 3.0 / 10, C4 = 4.0 / 5, C5 = 8.0 / 9;

    static final double A21 = 1.0 / 5;
    static final double A31 = 3.0 / 40, A32 = 9.0 / 40;
    static final double A41 = 44.0 / 45, A42 = -56.0 / 15, A43 = 32.0 / 9;
    static final double A51 = 19372.0 / 6561, A52 = -25360.0 / 2187, A53 = 64448.0 / 6561, A54 = -212.0 / 729;
    static final double A61 = 9017.0 / 3168, A62 = -355.0 / 33, A63 = 46732.0 / 5247, A64 = 49.0 / 176,
            A65 = -5103.0 / 18656;

    /** 5th-order weights (also row 7 of A); b2 = b7 = 0. */
    static final double B1 = 35.0 / 384, B3 = 500.0 / 1113, B4 = 125.0 / 192, B5 = -2187.0 / 6784, B6 = 11.0 / 84;

    /** 4th-order embedded weights; only used to derive and test E. */
    static final double[] B_HAT = {5179.0 / 57600, 0, 7571.0 / 16695, 393.0 / 640, -92097.0 / 339200, 187.0 / 2100,
        1.0 / 40};

    /** Error weights {@code b − b̂}; e2 = 0. */
    static final double E1 = 71.0 / 57600, E3 = -71.0 / 16695, E4 = 71.0 / 1920, E5 = -17253.0 / 339200,
            E6 = 22.0 / 525, E7 = -1.0 / 40;

    /** Dense-output coefficients of the 4th-order interpolant; d2 = 0. */
    static final double D1 = -12715105075.0 / 11282082432.0, D3 = 87487479700.0 / 32700410799.0,
            D4 = -10690763975.0 / 1880347072.0, D5 = 701980252875.0 / 199316789632.0,
            D6 = -1453857185.0 / 822651844.0, D7 = 69997945.0 / 29380423.0;

    /** The full tableau as arrays (fresh copies), for tests of the order conditions and solvers built elsewhere. */
    public static double[][] a() {
        return new double[][] {
            {},
            {A21},
            {A31, A32},
            {A41, A42, A43},
            {A51, A52, A53, A54},
            {A61, A62, A63, A64, A65},
            {B1, 0, B3, B4, B5, B6},
        };
    }

    public static double[] c() {
        return new double[] {0, C2, C3, C4, C5, 1, 1};
    }

    public static double[] b() {
        return new double[] {B1, 0, B3, B4, B5, B6, 0};
    }

    public static double[] e() {
        return new double[] {E1, 0, E3, E4, E5, E6, E7};
    }

    public static double[] d() {
        return new double[] {D1, 0, D3, D4, D5, D6, D7};
    }
}
