package dev.ascribe.core.model;

import java.io.Serializable;

/**
 * A linear map z = W a + b inside a model whose input a and output gradient δ a forward pass can
 * capture (a {@link Tap}). Its weight ({@code out x in}, row-major) and bias ({@code out}) sit in
 * the flat parameter vector at the given offsets; the layer may be applied at several positions
 * (a sequence, or the patches of a convolution), sharing W and b. A layer without a bias (a
 * convolution followed by batch normalization, say) has {@code biasOffset} {@link #NO_BIAS}.
 *
 * @param index the tap's index: {@link ForwardTrace#taps()} holds this layer's tap at it
 * @param in input width
 * @param out output width
 * @param weightOffset offset of W in the flat parameter vector
 * @param biasOffset offset of b in the flat parameter vector, or {@link #NO_BIAS}
 */
public record TappedLayer(int index, int in, int out, int weightOffset, int biasOffset)
    implements Serializable {
  /** The bias offset of a layer without a bias. */
  public static final int NO_BIAS = -1;

  /** Whether the layer adds a bias b. */
  public boolean hasBias() {
    return biasOffset != NO_BIAS;
  }

  /** Width of ã: the input, with the constant 1 appended when the layer has a bias. */
  public int augmentedIn() {
    return in + (hasBias() ? 1 : 0);
  }

  /** Number of parameters (weight, and bias if any). */
  public int numParameters() {
    return out * in + (hasBias() ? out : 0);
  }
}
