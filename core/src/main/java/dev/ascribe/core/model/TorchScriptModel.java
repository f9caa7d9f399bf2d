package dev.ascribe.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Pair;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link Model} of a {@link TorchScriptSpec}: a TorchScript module loaded by DJL's PyTorch
 * engine as a {@link PtSymbolBlock} with trainable parameters (the {@code trainParam} load option,
 * PLATFORM.md), in a sub-manager of its parent.
 *
 * <p>The module owns its parameters: its forward pass cannot run over other arrays. So {@link
 * #forward} accepts only this model's own {@link #parameters()} ({@link #ownsForwardParameters()}
 * is true), and a backward pass leaves the gradients on them; the grad package reads and zeroes
 * them there (PyTorch accumulates gradients across backward calls). There are no taps and no
 * dropout masks: the module runs as it was exported.
 */
public final class TorchScriptModel extends ArrayModel<TorchScriptSpec> {
  /** First int of a file written by {@link #save}: "ATS1". */
  private static final int MAGIC = 0x41545331;

  private final PtSymbolBlock block;

  // setParameters writes in place: the module keeps using the same tensors, which stay leaves
  // requiring gradients.
  private TorchScriptModel(TorchScriptSpec spec, NDManager parent, PtSymbolBlock block,
      NDManager manager) {
    super(spec, parent, manager, trainable(block));
    this.block = block;
  }

  /** The module in {@code spec}'s file, with the parameters it was exported with. */
  static TorchScriptModel open(TorchScriptSpec spec, NDManager parent) {
    NDManager manager = parent.newSubManager();
    try {
      return new TorchScriptModel(spec, parent, load(Path.of(spec.file()), manager), manager);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /**
   * Loads a TorchScript file with trainable parameters into {@code manager} (a PyTorch manager).
   *
   * @throws ai.djl.engine.EngineException when the file is not a TorchScript archive
   */
  static PtSymbolBlock load(Path file, NDManager manager) {
    PtSymbolBlock block = JniUtils.loadModule((PtNDManager) manager, file, false, new String[0],
        new String[0], true);
    // Eval mode for good: dropout off, batch norm on its running statistics (see forward).
    JniUtils.enableInferenceMode(block);
    return block;
  }

  /** The parameters that require gradients, in the module's named_parameters() order. */
  static NDList trainable(PtSymbolBlock block) {
    NDList list = new NDList();
    for (Pair<String, Parameter> p : block.getParameters()) {
      NDArray array = p.getValue().getArray();
      if (array.hasGradient()) {
        list.add(array);
      }
    }
    return list;
  }

  /** Names of {@link #trainable} parameters, same order. */
  static List<String> trainableNames(PtSymbolBlock block) {
    List<String> names = new ArrayList<>();
    for (Pair<String, Parameter> p : block.getParameters()) {
      if (p.getValue().getArray().hasGradient()) {
        names.add(p.getKey());
      }
    }
    return names;
  }

  /** The loaded module. */
  PtSymbolBlock block() {
    return block;
  }

  /** True: {@link #forward} runs over the module's own parameter arrays only. */
  @Override
  public boolean ownsForwardParameters() {
    return true;
  }

  /** Writes "ATS1", the parameter count and the float32 parameters in flat order. */
  @Override
  public void save(OutputStream out) throws IOException {
    writeParameters(out, MAGIC);
  }

  @Override
  public void load(InputStream in) throws IOException {
    readParameters(in, MAGIC);
  }

  /**
   * A float32 copy (the module reloaded, these parameters set). Other types are refused: a
   * TorchScript module's parameters have the type it was exported with.
   */
  @Override
  public TorchScriptModel copy(DataType type) {
    if (type != DataType.FLOAT32) {
      throw new IllegalArgumentException("TorchScript model " + spec().name() + " runs in float32"
          + " only: a copy of type " + type + " was asked for");
    }
    TorchScriptModel copy = open(spec(), parent());
    copy.setParameters(parametersAsDouble());
    return copy;
  }

  /**
   * Runs the module on {@code x} (outputs land in {@code x}'s manager). {@code params} must be
   * this model's own {@link #parameters()}; {@code masks} must be inactive; there are no taps, so
   * {@code withProbes} adds nothing.
   */
  @Override
  public ForwardTrace forward(NDArray x, NDList params, DropoutMasks masks, boolean withProbes) {
    if (params.size() != parameters().size()) {
      throw new IllegalArgumentException(notOwn());
    }
    for (int i = 0; i < params.size(); i++) {
      if (params.get(i) != parameters().get(i)) {
        throw new IllegalArgumentException(notOwn());
      }
    }
    if (masks.active()) {
      throw new IllegalArgumentException("TorchScript model " + spec().name()
          + " takes no dropout masks: it runs as exported");
    }
    NDArray input = x.getDataType() == dataType() ? x : x.toType(dataType(), false);
    // Straight to the module: the block's own forward(.., training) would also switch the module to
    // train mode (dropout on) whenever gradients are wanted; here autograd follows this thread's
    // grad mode while the module stays in the eval mode set at load.
    NDList out = IValueUtils.forward(block, new NDList(input), true);
    return new ForwardTrace(out.singletonOrThrow(), List.of());
  }

  private String notOwn() {
    return "TorchScript model " + spec().name() + " runs only over its own parameters: pass"
        + " parameters() (the grad package's Autograd.differentiable does)";
  }
}
