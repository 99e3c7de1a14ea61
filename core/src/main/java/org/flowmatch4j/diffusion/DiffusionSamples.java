package org.flowmatch4j.diffusion;

/**
 * Samples drawn from a diffusion model in the space its network works in.
 *
 * @param values {@code [rows, dim]} row-major samples
 * @param rows   number of samples
 * @param nfe    network evaluations spent on the whole batch
 */
public record DiffusionSamples(float[] values, int rows, long nfe) {
}
