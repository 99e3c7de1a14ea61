package org.flowmatch4j.coupling;

/** How pairs are drawn from an entropic transport plan π (n source rows, m target columns). */
public enum PlanSampling {
    /**
     * Every source row once, each with a target drawn from its conditional {@code j ~ π(i,·) / a_i},
     * independently: targets are drawn <em>with</em> replacement (a target may appear in several pairs or
     * none). Exactly a sample of π stratified over rows; n pairs.
     */
    ROW_CONDITIONAL,
    /**
     * Without replacement: the rows of the smaller side are visited in a random order and each draws a
     * partner among the still unused points of the other side with probability proportional to π (renormalised
     * over the unused ones). Every point of the smaller side is used once and no partner repeats;
     * {@code min(n, m)} pairs. The pair distribution is close to, but not exactly, π.
     */
    WITHOUT_REPLACEMENT
}
