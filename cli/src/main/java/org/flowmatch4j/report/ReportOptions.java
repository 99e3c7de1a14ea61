package org.flowmatch4j.report;

/**
 * What the model report computes, and how much of it.
 *
 * @param samples      samples drawn for the scatter (and W2)
 * @param paths        trajectories drawn as lines
 * @param pathSteps    RK4 steps of the trajectory solve (every step is recorded)
 * @param fieldPoints  transported points shown behind the vector field (also the trajectory batch)
 * @param quiverGrid   arrows per side of the vector-field grid
 * @param fieldTimes   the times t of the vector-field panels
 * @param densityGrid  grid points per side of the density heat map
 * @param densityTolerance rtol = atol of the dopri5 likelihood solves of the density grid (exact divergence)
 * @param w2Points     points per set in the exact-OT W2 against the reference data
 * @param nllPoints    reference points whose mean negative log-likelihood is reported
 * @param seed         seed of every random draw in the report
 */
public record ReportOptions(int samples, int paths, int pathSteps, int fieldPoints, int quiverGrid, double[] fieldTimes, int densityGrid,
                            double densityTolerance, int w2Points, int nllPoints, long seed) {
    public ReportOptions {
        if (samples < 1 || paths < 0 || pathSteps < 1 || fieldPoints < paths || quiverGrid < 2 || densityGrid < 2 || !(densityTolerance > 0 && densityTolerance < 1)
                || w2Points < 1 || nllPoints < 1 || fieldTimes.length == 0) {
            throw new IllegalArgumentException("report options out of range: " + java.util.Arrays.asList(samples, paths, pathSteps,
                    fieldPoints, quiverGrid, densityGrid, densityTolerance, w2Points, nllPoints, fieldTimes.length));
        }
        fieldTimes = fieldTimes.clone();
    }

    /**
     * The defaults, sized so that a report for a 2-D model with a 3×128 network renders in a few seconds on two
     * cores: 5000 samples, 300 of 1000 paths over 40 RK4 steps, arrows on a 13-point grid at t = 0, ¼, ½, ¾, 1, a
     * 64×64 density grid solved by dopri5 at rtol = atol = 1e-4 (against a 1e-8 solve: 0.08 % of the peak density
     * on the demo's cat model with 50 evaluations, 0.2 % on Flow Matching and diffusion moons models; a fixed 12-step
     * RK4 was 300 % off on the diffusion model's stiff probability-flow ODE), the NLL of 1000 points, W2 on 1500 points
     * (its two exact-OT solves, model and data floor, take ~0.5 s; at 2000 points ~0.9 s).
     */
    public static ReportOptions defaults() {
        return new ReportOptions(5000, 300, 40, 1000, 13, new double[] {0, 0.25, 0.5, 0.75, 1}, 64, 1e-4, 1500, 1000, 0);
    }

    /** These options with W2 on {@code n} points per set (more points, less estimation bias, O(n³) time). */
    public ReportOptions withW2Points(int n) {
        return new ReportOptions(Math.max(samples, n), paths, pathSteps, fieldPoints, quiverGrid, fieldTimes, densityGrid, densityTolerance, n,
                nllPoints, seed);
    }

    /** These options with {@code n} samples (W2 then uses at most n points per set). */
    public ReportOptions withSamples(int n) {
        return new ReportOptions(n, Math.min(paths, n), pathSteps, Math.min(fieldPoints, n), quiverGrid, fieldTimes, densityGrid, densityTolerance,
                Math.min(w2Points, n), Math.min(nllPoints, n), seed);
    }

    /** These options with a {@code g × g} density grid. */
    public ReportOptions withDensityGrid(int g) {
        return new ReportOptions(samples, paths, pathSteps, fieldPoints, quiverGrid, fieldTimes, g, densityTolerance, w2Points, nllPoints, seed);
    }

    /** These options with another seed. */
    public ReportOptions withSeed(long s) {
        return new ReportOptions(samples, paths, pathSteps, fieldPoints, quiverGrid, fieldTimes, densityGrid, densityTolerance, w2Points,
                nllPoints, s);
    }

    @Override
    public double[] fieldTimes() {
        return fieldTimes.clone();
    }

    /** A smaller, faster variant for tests and quick looks. */
    public static ReportOptions quick() {
        return new ReportOptions(600, 60, 12, 200, 9, new double[] {0, 0.5, 1}, 24, 8, 300, 200, 0);
    }
}
