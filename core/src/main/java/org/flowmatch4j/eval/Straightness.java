package org.flowmatch4j.eval;

import org.flowmatch4j.solver.Trajectory;

/**
 * Straightness of a flow from recorded trajectories. A {@link Trajectory} holds, at times
 * {@code t_0 < … < t_K}, the states {@code [n·d]} of n paths; times are rescaled to
 * {@code s = (t − t_0)/(t_K − t_0) ∈ [0, 1]}, and {@code x_0}, {@code x_1} are each path's first and last state.
 *
 * <ul>
 *   <li><b>Chord deviation</b> {@code (1/n) Σ_i ∫₀¹ ||x_i(s) − ((1−s)·x_i(0) + s·x_i(1))|| ds}, the integral by the
 *       trapezoidal rule on the recorded times (so non-uniform grids, e.g. an adaptive solver's steps, are
 *       weighted by their spacing).</li>
 *   <li><b>Velocity deviation</b> (Liu et al., rectified flow)
 *       {@code S = (1/n) Σ_i ∫₀¹ ||v_i(s) − (x_i(1) − x_i(0))||² ds}, with {@code v_i} on each step the
 *       finite difference {@code (x_i(s_{k+1}) − x_i(s_k))/(s_{k+1} − s_k)}: the exact mean velocity over the step,
 *       so the estimate is a lower bound that converges to S as the grid is refined.</li>
 * </ul>
 * Both vanish exactly for straight paths at constant speed; a path that is straight but changes speed has
 * positive values.
 */
public final class Straightness {
    private Straightness() {
    }

    /**
     * Both straightness figures of the first {@code samples} paths of a trajectory whose states are
     * {@code [rows·d]}.
     *
     * @throws IllegalArgumentException if the trajectory has fewer than 2 times, times that do not increase,
     *                                  or states of another length than a multiple of d holding {@code samples} rows
     */
    public static StraightnessResult of(Trajectory trajectory, int samples, int d) {
        int times = trajectory.size();
        if (times < 2) {
            throw new IllegalArgumentException("straightness needs at least 2 recorded times, got " + times);
        }
        int len = trajectory.state(0).length;
        if (d < 1 || samples < 1 || len % d != 0 || (long) samples * d > len) {
            throw new IllegalArgumentException("straightness: states of length " + len + " do not hold " + samples
                    + " rows of dimension " + d);
        }
        double t0 = trajectory.time(0);
        double span = trajectory.time(times - 1) - t0;
        for (int k = 1; k < times; k++) {
            if (!(trajectory.time(k) > trajectory.time(k - 1))) {
                throw new IllegalArgumentException("straightness: recorded times must increase, got t[" + (k - 1) + "]="
                        + trajectory.time(k - 1) + " and t[" + k + "]=" + trajectory.time(k));
            }
        }
        double chord = 0;
        double velocity = 0;
        double[] first = trajectory.state(0);
        double[] last = trajectory.state(times - 1);
        double[] prevDev = new double[samples];   // chord deviation at the previous time, per path (0 at s = 0)
        for (int k = 1; k < times; k++) {
            double sPrev = (trajectory.time(k - 1) - t0) / span;
            double s = (trajectory.time(k) - t0) / span;
            double ds = s - sPrev;
            for (int i = 0; i < samples; i++) {
                double dev = 0;
                double vdev = 0;
                for (int j = 0; j < d; j++) {
                    int c = i * d + j;
                    double a = first[c];
                    double b = last[c];
                    double x = trajectory.component(k, c);
                    double e = x - ((1 - s) * a + s * b);
                    dev += e * e;
                    double v = (x - trajectory.component(k - 1, c)) / ds - (b - a);
                    vdev += v * v;
                }
                dev = Math.sqrt(dev);
                chord += 0.5 * (prevDev[i] + dev) * ds;
                prevDev[i] = dev;
                velocity += vdev * ds;
            }
        }
        return new StraightnessResult(chord / samples, velocity / samples, samples, times);
    }
}
