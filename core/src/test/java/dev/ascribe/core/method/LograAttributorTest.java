package dev.ascribe.core.method;

import dev.ascribe.core.model.Checkpoint;
import dev.ascribe.core.score.ScoreMatrix;
import dev.ascribe.core.task.AttributionTask;
import static dev.ascribe.core.method.GradDotAttributorTest.checkpoint;
import static dev.ascribe.core.method.GradDotAttributorTest.loopGradients;
import static dev.ascribe.core.method.GradDotAttributorTest.tiny;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.task.ModelOutputs;
import dev.ascribe.core.linalg.LambdaSpec;
import dev.ascribe.core.model.FeedForwardSpec;
import dev.ascribe.core.model.Seeds;
import dev.ascribe.core.project.ProjectionKind;
import dev.ascribe.core.project.ProjectionOptions;
import dev.ascribe.core.project.Projection;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;

/** LoGra against its definition: P_out G_l P_inᵀ of each layer's loop gradient G_l = δ ãᵀ. */
class LograAttributorTest {
  private static final FeedForwardSpec ARCH = FeedForwardSpec.mlp(5, new int[] {4}, 3, 0);
  private static final Dataset TRAIN = tiny(9, 5, 3, 1, "train");
  private static final Dataset QUERIES = tiny(3, 5, 3, 2, "queries");
  private static final List<Checkpoint> CHECKPOINTS =
      List.of(checkpoint(ARCH, 1), checkpoint(ARCH, 2));
  private static final long SEED = 11;

  private static AttributionTask task() {
    return AttributionTask.builder().setCheckpoints(CHECKPOINTS).optBatchSize(4).build();
  }

  private static LograOptions options(String in, String out, String inner) {
    return LograOptions.parse(Map.of("in", in, "out", out, "inner", inner),
        ProjectionKind.GAUSSIAN, SEED);
  }

  @Test
  void identityProjectionsEqualGradDot() {
    ScoreMatrix logra = new LograAttributor(task(), options("0", "0", "identity"),
        LambdaSpec.parse("0")).attribute(TRAIN, QUERIES);
    ScoreMatrix gradDot = new GradDotAttributor(task(), null).attribute(TRAIN, QUERIES);
    for (int i = 0; i < TRAIN.size(); i++) {
      for (int q = 0; q < QUERIES.size(); q++) {
        assertEquals(gradDot.get(i, q), logra.get(i, q),
            1e-5 * (1 + Math.abs(gradDot.get(i, q))));
      }
    }
  }

  /** Brute-force features: per layer P_out G P_inᵀ (row-major), layers side by side. */
  private static double[][] features(Checkpoint c, int model, Dataset data, boolean query,
      int[] kIn, int[] kOut) {
    double[][] g = loopGradients(c, data, query ? ModelOutputs.margin()
        : ModelOutputs.crossEntropy());
    double[][] out = new double[data.size()][];
    for (int i = 0; i < data.size(); i++) {
      double[] row = new double[0];
      for (int l = 0; l < ARCH.numLinear(); l++) {
        int o = ARCH.outOf(l);
        int in = ARCH.inOf(l);
        RealMatrix layer = new Array2DRowRealMatrix(o, in + 1);
        int off = ARCH.offsetOf(l);
        for (int r = 0; r < o; r++) {
          for (int j = 0; j < in; j++) {
            layer.setEntry(r, j, g[i][off + r * in + j]);
          }
          layer.setEntry(r, in, g[i][off + o * in + r]);
        }
        long seed = Seeds.derive(SEED, model);
        RealMatrix projected = matrix(kOut[l], o, Seeds.derive(seed, l, 0)).multiply(layer)
            .multiply(matrix(kIn[l], in + 1, Seeds.derive(seed, l, 1)).transpose());
        int cols = projected.getColumnDimension();
        double[] block = new double[projected.getRowDimension() * cols];
        for (int r = 0; r < projected.getRowDimension(); r++) {
          for (int s = 0; s < cols; s++) {
            block[r * cols + s] = (query ? -1 : 1) * projected.getEntry(r, s);
          }
        }
        double[] joined = java.util.Arrays.copyOf(row, row.length + block.length);
        System.arraycopy(block, 0, joined, row.length, block.length);
        row = joined;
      }
      out[i] = row;
    }
    return out;
  }

  private static RealMatrix matrix(int k, int width, long seed) {
    if (k == 0 || k >= width) {
      return MatrixUtils.createRealIdentityMatrix(width);
    }
    Projection p = Projection.of(ProjectionOptions.builder().setDim(k)
        .optKind(ProjectionKind.GAUSSIAN).optSeed(seed).build(), width);
    RealMatrix m = new Array2DRowRealMatrix(k, width);
    for (int r = 0; r < k; r++) {
      for (int j = 0; j < width; j++) {
        m.setEntry(r, j, p.entry(r, j));
      }
    }
    return m;
  }

  @Test
  void projectedFeaturesWithFisherInnerProductMatchTheDefinition() {
    int[] kIn = {3, 2};
    int[] kOut = {2, 2};
    double lambda = 0.05;
    ScoreMatrix s = new LograAttributor(task(), options("3,2", "2", "fisher"),
        LambdaSpec.parse(Double.toString(lambda))).attribute(TRAIN, QUERIES);
    double[][] expected = new double[TRAIN.size()][QUERIES.size()];
    for (int c = 0; c < CHECKPOINTS.size(); c++) {
      double[][] phi = features(CHECKPOINTS.get(c), c, TRAIN, false, kIn, kOut);
      double[][] psi = features(CHECKPOINTS.get(c), c, QUERIES, true, kIn, kOut);
      RealMatrix train = new Array2DRowRealMatrix(phi);
      assertEquals(3 * 2 + 2 * 2, train.getColumnDimension());
      RealMatrix kernel = train.transpose().multiply(train).scalarMultiply(1.0 / TRAIN.size())
          .add(MatrixUtils.createRealIdentityMatrix(train.getColumnDimension())
              .scalarMultiply(lambda));
      RealMatrix scores = train.multiply(new LUDecomposition(kernel).getSolver()
          .solve(new Array2DRowRealMatrix(psi).transpose()));
      for (int i = 0; i < TRAIN.size(); i++) {
        for (int q = 0; q < QUERIES.size(); q++) {
          expected[i][q] += scores.getEntry(i, q) / CHECKPOINTS.size();
        }
      }
    }
    TracInAndGradCosTest.assertClose(expected, s);
  }

  @Test
  void selfInfluenceIsNonNegative() {
    float[] self = new LograAttributor(task(), options("3", "2", "fisher"),
        LambdaSpec.parse("1x")).cache(TRAIN).selfInfluence();
    for (float v : self) {
      assertTrue(v >= 0, "self-influence " + v);
    }
  }

  @Test
  void badOptionsAreRefusedByName() {
    Exception e = assertThrows(IllegalArgumentException.class,
        () -> options("64,32,16", "8", "identity").inDims(ARCH));
    assertTrue(e.getMessage().contains("logra.in"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> options("4", "2", "hessian"));
    assertTrue(e.getMessage().contains("logra.inner given hessian"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> options("x", "2", "identity"));
    assertTrue(e.getMessage().contains("logra.in given x"), e.getMessage());
  }
}
