package dev.ascribe.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * A bias-less 2-D convolution written as what it is for attribution: a linear map applied at every
 * output position t to the unfolded input patch a_t (the Cin x k x k window, flattened in PyTorch's
 * (Cin, kh, kw) order), so its weight (Cout, Cin k k) is PyTorch's (Cout, Cin, k, k) flattened and
 * its per-example gradient is Σ_t δ_t a_tᵀ over the positions of a {@link Tap}.
 *
 * <p>The output itself is computed by the engine's convolution ({@link #apply}), whose backward
 * pass is far cheaper than autograd through k² slices; {@link #unfold} gives the patches the tap
 * records, and {@link #positions} the same outputs from them (the tests hold the two equal).
 *
 * @param in input channels
 * @param out output channels
 * @param kernel square kernel size k
 * @param stride step between windows, both directions
 * @param padding zeros added on every side
 */
record Conv2d(int in, int out, int kernel, int stride, int padding) {
  Conv2d {
    if (in < 1 || out < 1 || kernel < 1 || stride < 1 || padding < 0) {
      throw new IllegalArgumentException("convolution given in " + in + ", out " + out
          + ", kernel " + kernel + ", stride " + stride + ", padding " + padding
          + ": expected positive sizes and padding >= 0");
    }
  }

  /** Width of a patch: Cin k k. */
  int patchWidth() {
    return in * kernel * kernel;
  }

  /** Output height (or width) for an input of height (or width) {@code size}. */
  int outSize(int size) {
    return (size + 2 * padding - kernel) / stride + 1;
  }

  /**
   * The unfolded input: for x of shape (B, Cin, H, W), the patches (B, T, Cin k k), T = H'W'
   * positions in row-major order. Built from k² strided slices of the zero-padded input, so
   * autograd differentiates it like the convolution itself.
   */
  NDArray unfold(NDArray x) {
    Shape s = x.getShape();
    long batch = s.get(0);
    int h = outSize((int) s.get(2));
    int w = outSize((int) s.get(3));
    NDArray padded = padding == 0 ? x
        : x.pad(new Shape(padding, padding, padding, padding), 0);
    NDList slices = new NDList(kernel * kernel);
    for (int i = 0; i < kernel; i++) {
      for (int j = 0; j < kernel; j++) {
        slices.add(padded.get(new NDIndex(":, :, {}:{}:{}, {}:{}:{}", i, i + stride * (h - 1) + 1,
            stride, j, j + stride * (w - 1) + 1, stride)));
      }
    }
    NDArray windows = slices.size() == 1 ? slices.get(0) : NDArrays.stack(slices, 2);
    return windows.reshape(batch, patchWidth(), (long) h * w).transpose(0, 2, 1);
  }

  /**
   * The convolution of x (B, Cin, H, W) by {@code weight} (Cout, Cin k k), shape (B, Cout, H', W'):
   * the engine's conv2d, differentiable in both arguments.
   */
  NDArray apply(NDArray x, NDArray weight) {
    NDArray kernels = BatchNorm.inScope(weight.reshape(out, in, kernel, kernel), x);
    return ai.djl.nn.convolutional.Conv2d.conv2d(x, kernels, null,
        new Shape(stride, stride), new Shape(padding, padding), new Shape(1, 1), 1)
        .singletonOrThrow();
  }

  /**
   * The outputs at every position: patches (B, T, Cin k k) times weightᵀ, shape (B, T, Cout).
   *
   * @param weight shape (Cout, Cin k k)
   */
  static NDArray positions(NDArray patches, NDArray weight) {
    return patches.matMul(weight.transpose());
  }

  /** Positions (B, T, Cout) back to an image (B, Cout, H', W') of the given output size. */
  static NDArray toImage(NDArray positions, int height, int width) {
    Shape s = positions.getShape();
    return positions.transpose(0, 2, 1).reshape(s.get(0), s.get(2), height, width);
  }
}
