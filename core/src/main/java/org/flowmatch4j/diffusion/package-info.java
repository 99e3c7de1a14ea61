/**
 * Diffusion (the VP SDE) in the library's t = 0 noise / t = 1 data convention. Nothing here trains: ε-prediction
 * denoising score matching on the VP SDE is exactly the conditional Flow Matching loss on
 * {@code AffinePath(new VPScheduler())} with {@code PredictionTarget.EPSILON} (and the independent coupling), so
 * {@link org.flowmatch4j.fm.FlowMatchingTrainer} trains the ε-network. This package adds what is specific to
 * diffusion: the SDE itself ({@link org.flowmatch4j.diffusion.VpSde}), its reverse-time sampler
 * ({@link org.flowmatch4j.diffusion.EulerMaruyama}) and the probability-flow ODE as a velocity field with JVPs
 * ({@link org.flowmatch4j.diffusion.ProbabilityFlowField}), gathered by
 * {@link org.flowmatch4j.diffusion.DiffusionSampler}.
 *
 * <p>Training needs no floor or ceiling on t: the ε target is N(0, I) at every t, so the loss stays bounded even
 * where σ_t → 0 (t → 1). The 1/σ_t singularity appears only when ε̂ is turned into a score or velocity, which is
 * why sampling stops at {@code t = 1 − t_eps} and the PF-ODE field is clamped there.
 */
package org.flowmatch4j.diffusion;
