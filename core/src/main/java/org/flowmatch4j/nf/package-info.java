/**
 * RealNVP-style normalizing flows: {@link org.flowmatch4j.nf.AffineCoupling} layers with soft-clamped
 * log-scales, optional {@link org.flowmatch4j.nf.ActNorm}, the flow {@link org.flowmatch4j.nf.RealNvp}
 * ({@code G: z → x}, exact {@code log p(x)} and sampling in one pass) and maximum-likelihood training
 * ({@link org.flowmatch4j.nf.RealNvpTrainer}, a fused tape-free pass checked against the autodiff tape).
 * Depends on {@code tensor}, {@code autodiff}, {@code kernels}, {@code nn}, {@code optim} and {@code train} only.
 */
package org.flowmatch4j.nf;
