package dev.ascribe.core.ihvp;

/**
 * A curvature whose products can also be taken over a random mini-batch of the training set, as
 * LiSSA's stochastic recursion needs. The batch of each step is fixed by the step number, so a
 * rerun draws the same batches.
 */
public interface SampledCurvature extends CurvatureOperator {
  /** A_b v for each direction v, with A_b the curvature of the mini-batch of {@code step}. */
  double[][] applySample(double[][] directions, long step);
}
