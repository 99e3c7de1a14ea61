package org.flowmatch4j.nf;

/**
 * Hyper-parameters of a maximum-likelihood run of a normalizing flow.
 *
 * @param steps        optimiser steps
 * @param batch        samples per step
 * @param learningRate Adam learning rate
 * @param maxGradNorm  global gradient-norm clipping threshold (0 disables it)
 * @param seed         seed of every random draw of the run (batches)
 */
public record NfTrainingSettings(long steps, int batch, double learningRate, double maxGradNorm, long seed) {
    /** Validates the values. */
    public NfTrainingSettings {
        if (steps < 1 || batch < 1) {
            throw new IllegalArgumentException("steps and batch must be >= 1, got steps=" + steps + " batch=" + batch);
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be positive, got " + learningRate);
        }
        if (!(maxGradNorm >= 0)) {
            throw new IllegalArgumentException("gradient clipping norm must be >= 0, got " + maxGradNorm);
        }
    }
}
