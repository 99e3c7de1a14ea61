/**
 * Continuous normalizing flows trained by maximum likelihood (FFJORD-style, discretise-then-optimise): the Flow
 * Matching velocity network (t = 0 noise, t = 1 data) is trained by maximising
 * {@code log p1(x) = log N(z(0); 0, I) − ∫₀¹ div v(t, z(t)) dt}, with the augmented ODE solved from t = 1 back to
 * t = 0 on the autodiff tape ({@link org.flowmatch4j.cnf.TapeSolver}) and the mean negative log-likelihood
 * backpropagated through every solver step ({@link org.flowmatch4j.cnf.CnfTrainer}).
 */
package org.flowmatch4j.cnf;
