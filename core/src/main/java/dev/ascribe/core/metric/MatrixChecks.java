package dev.ascribe.core.metric;

import java.util.Arrays;

/** Shape, index and finiteness checks shared by the metrics, with messages that name shapes. */
final class MatrixChecks {
  private MatrixChecks() {}

  /** Checks that {@code matrix} is rows x cols; {@code expected} says why, for the message. */
  static void checkMatrix(String name, double[][] matrix, int rows, int cols, String expected) {
    boolean ok = matrix.length == rows;
    for (int r = 0; ok && r < rows; r++) {
      ok = matrix[r].length == cols;
    }
    if (!ok) {
      throw new IllegalArgumentException(
          name + " is " + describe(matrix) + " but expected " + rows + " x " + cols + ": "
              + expected);
    }
  }

  /** "3 x 2", or "3 rows of lengths [2, 2, 1]" for a ragged matrix. */
  static String describe(double[][] matrix) {
    if (matrix.length == 0) {
      return "0 x 0";
    }
    int[] lengths = new int[matrix.length];
    boolean rectangular = true;
    for (int r = 0; r < matrix.length; r++) {
      lengths[r] = matrix[r].length;
      rectangular &= lengths[r] == lengths[0];
    }
    return rectangular
        ? matrix.length + " x " + lengths[0]
        : matrix.length + " rows of lengths " + Arrays.toString(lengths);
  }

  /** Rejects the first value that is not finite, naming its [row][column] and the remedy. */
  static void checkFinite(String name, double[][] matrix, String remedy) {
    for (int r = 0; r < matrix.length; r++) {
      for (int c = 0; c < matrix[r].length; c++) {
        if (!Double.isFinite(matrix[r][c])) {
          throw new IllegalArgumentException(
              name + "[" + r + "][" + c + "] is " + matrix[r][c] + ": expected a finite value; "
                  + remedy);
        }
      }
    }
  }

  /**
   * Checks that {@code rows} are distinct training row indices in [0, numTrain).
   *
   * @param what names the list in messages, e.g. "subset 3"
   */
  static void checkRows(String what, int[] rows, int numTrain) {
    boolean[] seen = new boolean[numTrain];
    for (int p = 0; p < rows.length; p++) {
      int i = rows[p];
      if (i < 0 || i >= numTrain) {
        throw new IllegalArgumentException(
            what + " holds training row " + i + " at position " + p
                + ": expected a row index in [0, " + numTrain + "), the rows of the scores");
      }
      if (seen[i]) {
        throw new IllegalArgumentException(
            what + " holds training row " + i + " twice (again at position " + p
                + "): expected distinct row indices");
      }
      seen[i] = true;
    }
  }
}
