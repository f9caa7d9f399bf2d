/**
 * Retraining-free hyperparameter selection (DESIGN.md, Retraining-free λ selection): the indicator
 * ξ(z', λ) computed from a model's eigenbasis ({@link dev.ascribe.core.select.Xi}, {@link
 * dev.ascribe.core.select.XiCurve}), the log-grid scan that reports every crossing of a threshold
 * ({@link dev.ascribe.core.select.CrossingScan}), the rules that turn a spectrum or a ξ̄ curve into
 * a λ ({@link dev.ascribe.core.select.LambdaRule}) and the selector that applies them ({@link
 * dev.ascribe.core.select.LambdaSelector}). {@link dev.ascribe.core.select.FeatureSpectrum} and
 * {@link dev.ascribe.core.select.SpectralScores} make every λ cheap once a model's kernel is
 * eigendecomposed, which is what sensitivity sweeps need.
 */
package dev.ascribe.core.select;
