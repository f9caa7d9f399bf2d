package dev.ascribe.core.model;

import java.io.Serializable;

/**
 * A linear map z = W a + b inside a model whose input a and output gradient δ a forward pass can
 * capture (a {@link Tap}). Its weight ({@code out x in}, row-major) and bias ({@code out}) sit in
 * the flat parameter vector at the given offsets; the layer may be applied at several positions
 * (a sequence), sharing W and b.
 *
 * @param index the tap's index: {@link ForwardTrace#taps()} holds this layer's tap at it
 * @param in input width
 * @param out output width
 * @param weightOffset offset of W in the flat parameter vector
 * @param biasOffset offset of b in the flat parameter vector
 */
public record TappedLayer(int index, int in, int out, int weightOffset, int biasOffset)
    implements Serializable {

  /** Number of parameters (weight and bias). */
  public int numParameters() {
    return out * in + out;
  }
}
