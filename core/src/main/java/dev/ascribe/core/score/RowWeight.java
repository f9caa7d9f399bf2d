package dev.ascribe.core.score;

/** The training-side weight w_i of the inner-product template (see the method package's Recipe). */
public enum RowWeight {
  /** w_i = 1. */
  ONE,
  /** w_i = -mean_c q_c,i with q = 1 - p(y_i|x_i) (TRAK). */
  NEG_MEAN_Q
}
