package org.flowmatch4j.eval;

/**
 * A squared maximum mean discrepancy with a Gaussian (RBF) kernel {@code k(a, b) = exp(−||a − b||² / (2h²))}.
 *
 * @param mmd2      the biased (V-statistic) estimate of MMD², ≥ 0; see {@link Mmd}
 * @param bandwidth the kernel bandwidth h, in the units of the points
 * @param nx        rows of the first set used
 * @param ny        rows of the second set used
 */
public record MmdResult(double mmd2, double bandwidth, int nx, int ny) {
}
