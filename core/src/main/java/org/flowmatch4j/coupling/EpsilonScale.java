package org.flowmatch4j.coupling;

/** How an entropic regularisation strength ε is interpreted. */
public enum EpsilonScale {
    /** ε is in the units of the cost (squared distance): the Sinkhorn kernel is {@code exp(−C_ij / ε)}. */
    ABSOLUTE,
    /**
     * ε is relative to the batch's mean cost {@code C̄ = (1/nm) Σ_ij C_ij}: the kernel is
     * {@code exp(−C_ij / (ε·C̄))}, so the pairing does not change when the data are rescaled and one ε suits
     * 2-D toys and images alike. (When {@code C̄ = 0}, all points coincide and ε is used as is.)
     */
    MEAN_COST
}
