package dev.ascribe.core.linalg;

/**
 * Where a vector stops being usable: the first NaN or infinite entry. One NaN feature, parameter or
 * score spreads to every number computed from it, so inputs, saved models and written outputs are
 * checked with this before anything is marked complete; callers word the message, naming the
 * table, row or file.
 */
public final class NonFinite {
  private NonFinite() {}

  /** Index of the first NaN or infinite entry of {@code v}, or -1 if all are finite. */
  public static int firstIndex(float[] v) {
    for (int i = 0; i < v.length; i++) {
      if (!Float.isFinite(v[i])) {
        return i;
      }
    }
    return -1;
  }

  /** Index of the first NaN or infinite entry of {@code v}, or -1 if all are finite. */
  public static int firstIndex(double[] v) {
    for (int i = 0; i < v.length; i++) {
      if (!Double.isFinite(v[i])) {
        return i;
      }
    }
    return -1;
  }
}
