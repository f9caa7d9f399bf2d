package dev.ascribe.core.feature;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.ascribe.core.grad.Backprop;
import dev.ascribe.core.grad.LayerGradient;
import dev.ascribe.core.grad.PerExampleGradients;
import dev.ascribe.core.grad.ProbedSequenceNet;
import dev.ascribe.core.model.DropoutMasks;
import dev.ascribe.core.model.FeedForwardSpec;
import dev.ascribe.core.model.Model;
import dev.ascribe.core.model.Network;
import dev.ascribe.core.project.Projection;
import dev.ascribe.core.project.ProjectionKind;
import dev.ascribe.core.project.ProjectionOptions;
import dev.ascribe.core.project.Projector;
import dev.ascribe.core.task.ModelOutputs;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Sparse features straight from the taps equal the sparse projection of the per-example gradients
 * formed in full: bit for bit for layers applied once, to rounding for layers at several positions.
 */
class SketchedGradientsTest {
  private static Projection sjlt(int k, int s, int d) {
    return Projection.of(ProjectionOptions.builder().setDim(k).optKind(ProjectionKind.SJLT)
        .optSparsity(s).optSeed(13).build(), d);
  }

  @Test
  void fusedFeaturesEqualProjectedGradientsBitForBit() {
    FeedForwardSpec spec = FeedForwardSpec.mlp(6, new int[] {5, 4}, 3, 0);
    int batch = 9;
    SplittableRandom rng = new SplittableRandom(5);
    float[] x = new float[batch * 6];
    int[] labels = new int[batch];
    for (int i = 0; i < x.length; i++) {
      // Exact zeros, as in images, exercise the skipped coordinates.
      x[i] = rng.nextDouble() < 0.4 ? 0f : (float) rng.nextGaussian();
    }
    for (int i = 0; i < batch; i++) {
      labels[i] = rng.nextInt(3);
    }
    for (int s : new int[] {1, 2}) {
      Projection p = sjlt(16, s, spec.numParameters());
      WholeGradients map = new WholeGradients(spec.numParameters(), p);
      try (NDManager m = NDManager.newBaseManager(); Network net = Network.initialize(spec, m, 3);
          GradientMap.Session session = map.open(m); Projector projector = p.open(m)) {
        Backprop pass = Backprop.run(net, m.create(x, new Shape(batch, 6)), labels,
            ModelOutputs.crossEntropy(), DropoutMasks.NONE, 1.0);
        NDArray fused = session.apply(pass);
        NDArray reference = projector.project(PerExampleGradients.of(pass));
        assertEquals(DataType.FLOAT32, fused.getDataType());
        assertArrayEquals(reference.toFloatArray(), fused.toFloatArray(), "s = " + s);
      }
    }
  }

  @Test
  void probedBlocksAndBiasLessLayersGoInAsTheirGradientRows() {
    ProbedSequenceNet spec = new ProbedSequenceNet(3, 4, 5, 3);
    int batch = 5;
    SplittableRandom rng = new SplittableRandom(8);
    float[] x = new float[batch * spec.inputDim()];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rng.nextGaussian();
    }
    int[] labels = {0, 1, 2, 0, 1};
    Projection p = sjlt(16, 2, spec.numParameters());
    try (NDManager m = NDManager.newBaseManager(); Model net = spec.initialize(m, 4);
        GradientMap.Session session = new WholeGradients(spec.numParameters(), p).open(m);
        Projector projector = p.open(m)) {
      Backprop pass = Backprop.run(net, m.create(x, new Shape(batch, spec.inputDim())), labels,
          ModelOutputs.margin(), DropoutMasks.NONE, 1.0);
      float[] fused = session.apply(pass).toFloatArray();
      float[] reference = projector.project(PerExampleGradients.of(pass)).toFloatArray();
      for (int i = 0; i < fused.length; i++) {
        // Positions are summed in another order: equal to rounding.
        assertEquals(reference[i], fused[i], 1e-5 * (1 + Math.abs(reference[i])), "feature " + i);
      }
    }
  }

  @Test
  void layersAtSeveralPositionsSumOverPositionsFirst() {
    int batch = 2;
    int positions = 3;
    FeedForwardSpec spec = FeedForwardSpec.logisticRegression(4, 3);
    Projection p = sjlt(8, 1, spec.numParameters());
    try (NDManager m = NDManager.newBaseManager(); Model net = spec.open(m, DataType.FLOAT32);
        GradientMap.Session session = new WholeGradients(spec.numParameters(), p).open(m);
        Projector projector = p.open(m)) {
      NDArray a = KroneckerGradientsPositionsTest.random(m, new Shape(batch, positions, 4), 1);
      NDArray delta = KroneckerGradientsPositionsTest.random(m, new Shape(batch, positions, 3), 2);
      Backprop pass = new Backprop(new Backprop.Source(net, null, null, ModelOutputs.margin()),
          null, List.of(new LayerGradient(a, delta)), m.zeros(new Shape(batch)));
      float[] fused = session.apply(pass).toFloatArray();
      float[] reference = projector.project(PerExampleGradients.of(pass)).toFloatArray();
      double apart = 0;
      for (int i = 0; i < fused.length; i++) {
        assertEquals(reference[i], fused[i], 1e-5, "feature " + i);
        apart = Math.max(apart, Math.abs(fused[i]));
      }
      assertTrue(apart > 1e-2, "features are not all zero");
    }
  }
}
