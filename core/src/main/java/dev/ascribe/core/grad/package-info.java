/**
 * Gradients: the per-thread autograd bridge, the one backward pass that
 * captures every linear layer's (δ, a), and per-example gradients built from it.
 */
package dev.ascribe.core.grad;
