package dev.ascribe.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.model.FeedForwardSpec;
import org.junit.jupiter.api.Test;

class SubsetRetrainingTest {
  private final FeedForwardSpec arch = FeedForwardSpec.logisticRegression(10, 3);
  private final SubsetRetraining retraining = new SubsetRetraining(arch,
      TrainOptions.builder().setEpochs(2).optBatchSize(16).build(), 4, 0.5, 9);

  @Test
  void eachModelIsReproducibleAloneAndTrainedOnItsHalfSubset() throws Exception {
    Dataset train = SgdTrainerTest.blobs(101, 10, 3, 1);
    Dataset queries = SgdTrainerTest.blobs(7, 10, 3, 2);
    try (NDManager m = NDManager.newBaseManager()) {
      SubsetRetraining.Outcome a = retraining.trainOne(2, train, queries, m);
      SubsetRetraining.Outcome b = retraining.trainOne(2, train, queries, m);
      SubsetRetraining.Outcome c = retraining.trainOne(3, train, queries, m);
      assertArrayEquals(a.logp(), b.logp());
      assertArrayEquals(a.margin(), b.margin());
      assertEquals(50, a.subsetRows().length);
      assertFalse(java.util.Arrays.equals(a.subsetRows(), c.subsetRows()));
      for (int q = 0; q < 7; q++) {
        assertTrue(a.logp()[q] < 0, "log p is negative");
        // margin = log(p / (1 - p)) for the true class
        double p = Math.exp(a.logp()[q]);
        assertEquals(Math.log(p / (1 - p)), a.margin()[q], 1e-9);
      }
    }
  }

  @Test
  void theRecipeAndTheDataSurviveJavaSerialization() throws Exception {
    // Spark broadcasts them to the tasks that train the subset models.
    Dataset train = SgdTrainerTest.blobs(11, 10, 3, 4);
    assertEquals(retraining, roundTrip(retraining));
    Dataset copy = roundTrip(train);
    assertEquals(train.toString(), copy.toString());
    assertArrayEquals(train.ids(), copy.ids());
    assertArrayEquals(train.labels(), copy.labels());
    for (int i = 0; i < train.size(); i++) {
      assertArrayEquals(train.features(i), copy.features(i));
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> T roundTrip(T value) throws Exception {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
      out.writeObject(value);
    }
    try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
        new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
      return (T) in.readObject();
    }
  }

  @Test
  void invalidOptionsAreRejected() {
    TrainOptions o = TrainOptions.builder().setEpochs(1).build();
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> new SubsetRetraining(arch, o, 1, 0.5, 0)).getMessage().contains("models given 1"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> new SubsetRetraining(arch, o, 5, 1.0, 0)).getMessage().contains("alpha given 1.0"));
  }
}
