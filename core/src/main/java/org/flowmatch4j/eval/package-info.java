/**
 * Evaluation metrics of generative models against held-out data: Wasserstein distances W1 and W2 (exact
 * assignment, or entropic beyond a size), RBF-kernel MMD², test negative log-likelihood and bits per dimension,
 * and the straightness of a flow's paths; {@link org.flowmatch4j.eval.Evaluation} computes them all for a
 * {@link org.flowmatch4j.model.GenerativeModel}. Nothing here depends on the command line, so reports and model
 * comparisons call it directly.
 */
package org.flowmatch4j.eval;
