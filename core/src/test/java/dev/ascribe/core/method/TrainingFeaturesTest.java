package dev.ascribe.core.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ascribe.core.feature.FeatureMatrix;
import dev.ascribe.core.score.PartialScores;
import dev.ascribe.core.score.RowWeight;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TrainingFeaturesTest {
  private static final int K = 5;
  private static final int N = 47;
  private static final int BATCH = 4;

  /** Row r of checkpoint c: values drawn from a generator seeded by (c, r), id 100 + r. */
  private static FeatureMatrix rows(int c, int[] rows) {
    long[] ids = new long[rows.length];
    int[] labels = new int[rows.length];
    float[] phi = new float[rows.length * K];
    float[] q = new float[rows.length];
    for (int i = 0; i < rows.length; i++) {
      SplittableRandom rng = new SplittableRandom(1000L * c + rows[i]);
      ids[i] = 100 + rows[i];
      labels[i] = rows[i] % 3;
      q[i] = (float) rng.nextDouble();
      for (int j = 0; j < K; j++) {
        phi[i * K + j] = (float) rng.nextGaussian();
      }
    }
    return new FeatureMatrix(c, ids, labels, phi, q, K);
  }

  /** A source that records the first row of every featurize call and whether it was closed. */
  private static final class Recording implements TrainingFeatures.Source {
    final List<Integer> starts = new ArrayList<>();
    int open;

    @Override
    public TrainingFeatures.Opened open(int c) {
      open++;
      return new TrainingFeatures.Opened() {
        @Override
        public FeatureMatrix featurize(int[] rs) {
          starts.add(rs[0]);
          return rows(c, rs);
        }

        @Override
        public void close() {
          open--;
        }
      };
    }
  }

  @Test
  void streamedBlocksAreTheWholeMatrixCutEveryBlockRowsOnBatchBoundaries() {
    Recording source = new Recording();
    TrainingFeatures streamed = TrainingFeatures.streamed(source, 2, N, BATCH);
    FeatureMatrix whole = rows(1, dev.ascribe.core.model.Inputs.range(0, N));
    List<FeatureMatrix> blocks = new ArrayList<>();
    streamed.forEachBlock(1, 10, blocks::add);

    assertEquals(List.of(10, 10, 10, 10, 7), blocks.stream().map(FeatureMatrix::size).toList());
    for (int b = 0; b < blocks.size(); b++) {
      FeatureMatrix expected = whole.slice(10 * b, Math.min(N, 10 * b + 10));
      assertArrayEquals(expected.ids(), blocks.get(b).ids());
      assertArrayEquals(expected.labels(), blocks.get(b).labels());
      assertArrayEquals(expected.phi(), blocks.get(b).phi());
      assertArrayEquals(expected.q(), blocks.get(b).q());
      assertEquals(1, blocks.get(b).model());
    }
    // Featurized one batch of 4 rows at a time, as when all rows are featurized at once; the
    // featurizer is closed afterwards.
    assertEquals(List.of(0, 4, 8, 12, 16, 20, 24, 28, 32, 36, 40, 44), source.starts);
    assertEquals(0, source.open);
  }

  @Test
  void scoresFromStreamedBlocksEqualScoresFromTheHeldMatrix() {
    int m = 3;
    float[] queries = new float[m * K];
    SplittableRandom rng = new SplittableRandom(7);
    for (int i = 0; i < queries.length; i++) {
      queries[i] = (float) rng.nextGaussian();
    }
    List<FeatureMatrix> held = new ArrayList<>();
    for (int c = 0; c < 2; c++) {
      held.add(rows(c, dev.ascribe.core.model.Inputs.range(0, N)));
    }
    float[] fromHeld = scores(TrainingFeatures.held(held), queries, m, 0);
    // In the blocks PartialScores itself multiplies (the attributor's choice): the same bits.
    assertArrayEquals(fromHeld, scores(TrainingFeatures.streamed(new Recording(), 2, N, BATCH),
        queries, m, 0));
    // In smaller blocks: the same values up to the rounding of a shorter matrix product.
    assertArrayEquals(fromHeld, scores(TrainingFeatures.streamed(new Recording(), 2, N, BATCH),
        queries, m, 9), 1e-5f);
    assertFalse(TrainingFeatures.held(held).isStreamed());
  }

  /** Scores through PartialScores, streamed blocks of {@code blockRows} (0: its own size). */
  private static float[] scores(TrainingFeatures features, float[] queries, int m,
      int blockRows) {
    PartialScores partial = new PartialScores(m, 2, RowWeight.ONE);
    int rowsPerBlock = blockRows > 0 ? blockRows : partial.rowsPerProduct(K);
    for (int c = 0; c < 2; c++) {
      double coefficient = 0.5 + c;
      features.forEachBlock(c, rowsPerBlock, block -> partial.add(block, queries, coefficient));
    }
    float[] out = new float[N * m];
    List<PartialScores.Row> rows = partial.complete();
    assertEquals(N, rows.size());
    for (int i = 0; i < N; i++) {
      assertEquals(100 + i, rows.get(i).exampleId());
      System.arraycopy(rows.get(i).scores(), 0, out, i * m, m);
    }
    return out;
  }

  @Test
  void onlyFeaturesBeyondTheBudgetAreStreamed() {
    // 5,000 MNIST-MLP whole gradients (109,386 parameters): 2.2 GB, streamed; MNIST-LR's 7,850
    // parameters for one checkpoint: 157 MB, held.
    assertTrue(TrainingFeatures.tooLargeToHold(1, 5000, 109_386));
    assertFalse(TrainingFeatures.tooLargeToHold(1, 5000, 7_850));
    assertTrue(TrainingFeatures.tooLargeToHold(10, 5000, 7_850));
  }
}
