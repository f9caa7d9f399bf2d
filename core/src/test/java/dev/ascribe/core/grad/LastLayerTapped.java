package dev.ascribe.core.grad;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.ascribe.core.model.DropoutMasks;
import dev.ascribe.core.model.FeedForwardSpec;
import dev.ascribe.core.model.ForwardTrace;
import dev.ascribe.core.model.Model;
import dev.ascribe.core.model.ModelKind;
import dev.ascribe.core.model.ModelSpec;
import dev.ascribe.core.model.Network;
import dev.ascribe.core.model.ParameterBlock;
import dev.ascribe.core.model.TappedLayer;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * A feed-forward model that taps only its last layer: a model kind whose taps do not cover every
 * parameter, so per-example gradients must take the generic backward path.
 */
public record LastLayerTapped(FeedForwardSpec ff) implements ModelSpec {
  @Override
  public ModelKind kind() {
    return ff.kind();
  }

  @Override
  public String name() {
    return ff.name() + "-last-tapped";
  }

  @Override
  public int inputDim() {
    return ff.inputDim();
  }

  @Override
  public int numClasses() {
    return ff.numClasses();
  }

  @Override
  public int numParameters() {
    return ff.numParameters();
  }

  @Override
  public double dropout() {
    return ff.dropout();
  }

  @Override
  public List<ParameterBlock> layout() {
    return ff.layout();
  }

  @Override
  public List<TappedLayer> tappedLayers() {
    TappedLayer last = ff.tappedLayers().get(ff.numLinear() - 1);
    return List.of(new TappedLayer(0, last.in(), last.out(), last.weightOffset(),
        last.biasOffset()));
  }

  @Override
  public Map<String, Object> toMap() {
    return ff.toMap();
  }

  @Override
  public Model open(NDManager manager, DataType type) {
    return new Live(this, ff.open(manager, type));
  }

  @Override
  public Model initialize(NDManager manager, long seed) {
    return new Live(this, ff.initialize(manager, seed));
  }

  /** The feed-forward network, reporting only the last layer's tap. */
  private record Live(LastLayerTapped spec, Network net) implements Model {
    @Override
    public NDManager manager() {
      return net.manager();
    }

    @Override
    public DataType dataType() {
      return net.dataType();
    }

    @Override
    public NDList parameters() {
      return net.parameters();
    }

    @Override
    public double[] parametersAsDouble() {
      return net.parametersAsDouble();
    }

    @Override
    public void setParameters(double[] theta) {
      net.setParameters(theta);
    }

    @Override
    public void save(OutputStream out) throws java.io.IOException {
      net.save(out);
    }

    @Override
    public void load(InputStream in) throws java.io.IOException {
      net.load(in);
    }

    @Override
    public Model copy(DataType type) {
      return new Live(spec, net.copy(type));
    }

    @Override
    public ForwardTrace forward(NDArray x, NDList params, DropoutMasks masks, boolean withProbes) {
      ForwardTrace all = net.forward(x, params, masks, withProbes);
      return new ForwardTrace(all.logits(), List.of(all.taps().get(all.taps().size() - 1)));
    }

    @Override
    public void close() {
      net.close();
    }
  }
}
