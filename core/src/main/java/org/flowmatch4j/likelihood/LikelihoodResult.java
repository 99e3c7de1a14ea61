package org.flowmatch4j.likelihood;

/**
 * Log-densities of a batch of points and the work the solve took.
 *
 * @param logProb log p(x) per point, nats
 * @param nfe     velocity-field evaluations of the solve
 */
public record LikelihoodResult(double[] logProb, int nfe) {
    /** Mean log-density. */
    public double mean() {
        double s = 0;
        for (double v : logProb) {
            s += v;
        }
        return s / logProb.length;
    }
}
