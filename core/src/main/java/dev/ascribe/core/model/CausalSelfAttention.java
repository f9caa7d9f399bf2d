package dev.ascribe.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Causal multi-head scaled dot-product attention (Vaswani et al., 2017), nanoGPT's
 * {@code CausalSelfAttention} between its two linear maps: from the stacked query, key and value
 * projections (B, T, 3E) to the heads' outputs merged back to (B, T, E). Position t attends to
 * positions 0..t only.
 */
final class CausalSelfAttention {
  private CausalSelfAttention() {}

  /**
   * @param qkv queries, keys and values side by side, shape (B, T, 3E)
   * @param heads H, dividing E
   * @param mask the additive causal mask from {@link #mask}, shape (T, T)
   * @param scale a scalar array holding 1/sqrt(E/H) in qkv's type (kept alive by the caller)
   * @param dropout multiplies the attention weights (B, H, T, T), or null for none
   * @return shape (B, T, E)
   */
  static NDArray apply(NDArray qkv, int heads, NDArray mask, NDArray scale, NDArray dropout) {
    Shape s = qkv.getShape();
    long batch = s.get(0);
    long positions = s.get(1);
    long embd = s.get(2) / 3;
    NDList parts = qkv.split(3, 2);
    NDArray q = splitHeads(parts.get(0), heads);
    NDArray k = splitHeads(parts.get(1), heads);
    NDArray v = splitHeads(parts.get(2), heads);
    NDArray weights = q.matMul(k.transpose(0, 1, 3, 2)).mul(scale).add(mask).softmax(-1);
    if (dropout != null) {
      weights = weights.mul(dropout);
    }
    return weights.matMul(v).transpose(0, 2, 1, 3).reshape(batch, positions, embd);
  }

  /** (B, T, E) to (B, H, T, E/H). */
  private static NDArray splitHeads(NDArray x, int heads) {
    Shape s = x.getShape();
    return x.reshape(s.get(0), s.get(1), heads, s.get(2) / heads).transpose(0, 2, 1, 3);
  }

  /** 0 where key position ≤ query position, -∞ above the diagonal; shape (T, T). */
  static NDArray mask(int positions, DataType type, NDManager manager) {
    float[] values = new float[positions * positions];
    for (int t = 0; t < positions; t++) {
      for (int u = t + 1; u < positions; u++) {
        values[t * positions + u] = Float.NEGATIVE_INFINITY;
      }
    }
    return manager.create(values, new Shape(positions, positions)).toType(type, false);
  }
}
