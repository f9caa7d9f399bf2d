/**
 * Gradients of any {@link dev.ascribe.core.model.Model}: the per-thread autograd bridge, the one
 * forward and backward pass ({@link dev.ascribe.core.grad.Backprop}) that captures every tapped
 * layer's (a, δ) as a {@link dev.ascribe.core.grad.LayerGradient}, per-example gradients with the
 * choice between taps and the generic per-example backward loop made in one place
 * ({@link dev.ascribe.core.grad.PerExampleGradients#methodFor}), and Hessian-vector products
 * (written out for feed-forward models).
 */
package dev.ascribe.core.grad;
