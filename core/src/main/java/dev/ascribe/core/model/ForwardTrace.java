package dev.ascribe.core.model;

import ai.djl.ndarray.NDArray;

/**
 * What one forward pass leaves behind for the backward pass.
 *
 * @param logits model outputs, shape (B, classes)
 * @param inputs {@code inputs[l]} is the activation fed into linear layer l, shape (B, in_l)
 * @param probes {@code probes[l]} is the zero tensor added to linear layer l's output, shape
 *     (B, out_l), whose gradient after a backward pass is the layer-output gradient δ_l; null
 *     entries when the pass ran without probes
 */
public record ForwardTrace(NDArray logits, NDArray[] inputs, NDArray[] probes) {}
