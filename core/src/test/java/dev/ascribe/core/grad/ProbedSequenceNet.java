package dev.ascribe.core.grad;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import dev.ascribe.core.model.DropoutMasks;
import dev.ascribe.core.model.ForwardTrace;
import dev.ascribe.core.model.Model;
import dev.ascribe.core.model.ModelKind;
import dev.ascribe.core.model.ModelSpec;
import dev.ascribe.core.model.ParameterBlock;
import dev.ascribe.core.model.Tap;
import dev.ascribe.core.model.TappedLayer;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A small sequence model that uses both ways a pass yields per-example gradients besides a plain
 * linear layer: a bias-less linear map applied at T positions (taps (B, T, in)/(B, T, out)), then a
 * per-feature scale γ and shift β (probed blocks, as a normalization layer's), ReLU, the mean over
 * positions, and a linear classifier with a bias. Flat order: W0 (h, in), γ (h), β (h), W1 (C, h),
 * b1 (C).
 *
 * @param in width of one position
 * @param positions T
 * @param hidden h
 * @param classes C
 */
public record ProbedSequenceNet(int in, int positions, int hidden, int classes)
    implements ModelSpec {
  @Override
  public ModelKind kind() {
    return ModelKind.MLP; // not read back: a test fixture
  }

  @Override
  public String name() {
    return "probed-seq";
  }

  @Override
  public int inputDim() {
    return in * positions;
  }

  @Override
  public int numClasses() {
    return classes;
  }

  @Override
  public int numParameters() {
    return layout().get(4).end();
  }

  @Override
  public double dropout() {
    return 0;
  }

  @Override
  public List<ParameterBlock> layout() {
    int w0 = hidden * in;
    return List.of(new ParameterBlock("w0", new long[] {hidden, in}, 0),
        new ParameterBlock("gamma", new long[] {hidden}, w0),
        new ParameterBlock("beta", new long[] {hidden}, w0 + hidden),
        new ParameterBlock("w1", new long[] {classes, hidden}, w0 + 2 * hidden),
        new ParameterBlock("b1", new long[] {classes}, w0 + 2 * hidden + classes * hidden));
  }

  @Override
  public List<TappedLayer> tappedLayers() {
    List<ParameterBlock> b = layout();
    return List.of(new TappedLayer(0, in, hidden, 0, TappedLayer.NO_BIAS),
        new TappedLayer(1, hidden, classes, b.get(3).offset(), b.get(4).offset()));
  }

  @Override
  public List<Integer> probedBlocks() {
    return List.of(1, 2);
  }

  @Override
  public Map<String, Object> toMap() {
    return Map.of("kind", "probed-seq");
  }

  @Override
  public Model open(NDManager manager, DataType type) {
    return new Live(this, manager.newSubManager(), type);
  }

  @Override
  public Model initialize(NDManager manager, long seed) {
    Model net = open(manager, DataType.FLOAT32);
    SplittableRandom rng = new SplittableRandom(seed);
    double[] theta = new double[numParameters()];
    for (int i = 0; i < theta.length; i++) {
      theta[i] = rng.nextGaussian() * 0.5;
    }
    net.setParameters(theta);
    return net;
  }

  private static final class Live implements Model {
    private final ProbedSequenceNet spec;
    private final NDManager manager;
    private final NDList params = new NDList();

    Live(ProbedSequenceNet spec, NDManager manager, DataType type) {
      this.spec = spec;
      this.manager = manager;
      for (ParameterBlock b : spec.layout()) {
        params.add(manager.zeros(new Shape(b.shape()), type));
      }
    }

    @Override
    public ModelSpec spec() {
      return spec;
    }

    @Override
    public NDManager manager() {
      return manager;
    }

    @Override
    public DataType dataType() {
      return params.get(0).getDataType();
    }

    @Override
    public NDList parameters() {
      return params;
    }

    @Override
    public double[] parametersAsDouble() {
      double[] theta = new double[spec.numParameters()];
      int at = 0;
      for (NDArray p : params) {
        double[] v = p.toType(DataType.FLOAT64, false).toDoubleArray();
        System.arraycopy(v, 0, theta, at, v.length);
        at += v.length;
      }
      return theta;
    }

    @Override
    public void setParameters(double[] theta) {
      int at = 0;
      for (NDArray p : params) {
        int size = (int) p.size();
        double[] v = java.util.Arrays.copyOfRange(theta, at, at + size);
        try (NDArray d = manager.create(v, p.getShape())) {
          p.set(d.toType(p.getDataType(), false).toByteBuffer());
        }
        at += size;
      }
    }

    @Override
    public void save(OutputStream out) throws IOException {
      DataOutputStream data = new DataOutputStream(out);
      for (double v : parametersAsDouble()) {
        data.writeDouble(v);
      }
      data.flush();
    }

    @Override
    public void load(InputStream in) throws IOException {
      DataInputStream data = new DataInputStream(in);
      double[] theta = new double[spec.numParameters()];
      for (int i = 0; i < theta.length; i++) {
        theta[i] = data.readDouble();
      }
      setParameters(theta);
    }

    @Override
    public Model copy(DataType type) {
      Live copy = new Live(spec, manager.getParentManager().newSubManager(), type);
      copy.setParameters(parametersAsDouble());
      return copy;
    }

    @Override
    public ForwardTrace forward(NDArray x, NDList p, DropoutMasks masks, boolean withProbes) {
      NDManager scope = x.getManager();
      long batch = x.getShape().get(0);
      NDArray seq = x.toType(dataType(), false).reshape(batch, spec.positions, spec.in);
      List<Tap> taps = new ArrayList<>();
      NDArray z0 = seq.matMul(p.get(0).transpose());
      NDArray probe0 = null;
      NDArray gamma = p.get(1).reshape(1, 1, spec.hidden);
      NDArray beta = p.get(2).reshape(1, 1, spec.hidden);
      List<NDArray> blockProbes = new ArrayList<>();
      if (withProbes) {
        probe0 = requiringGradient(scope.zeros(z0.getShape(), dataType()));
        z0 = z0.add(probe0);
        NDArray pg = requiringGradient(scope.zeros(new Shape(batch, spec.hidden), dataType()));
        NDArray pb = requiringGradient(scope.zeros(new Shape(batch, spec.hidden), dataType()));
        gamma = p.get(1).add(pg).reshape(batch, 1, spec.hidden);
        beta = p.get(2).add(pb).reshape(batch, 1, spec.hidden);
        blockProbes.add(pg);
        blockProbes.add(pb);
      }
      taps.add(new Tap(seq, probe0));
      NDArray pooled = Activation.relu(z0.mul(gamma).add(beta)).mean(new int[] {1});
      NDArray z1 = Linear.linear(pooled, p.get(3), p.get(4)).singletonOrThrow();
      NDArray probe1 = null;
      if (withProbes) {
        probe1 = requiringGradient(scope.zeros(z1.getShape(), dataType()));
        z1 = z1.add(probe1);
      }
      taps.add(new Tap(pooled, probe1));
      return new ForwardTrace(z1, taps, blockProbes);
    }

    private static NDArray requiringGradient(NDArray zeros) {
      zeros.setRequiresGradient(true);
      return zeros;
    }

    @Override
    public void close() {
      manager.close();
    }
  }
}
