package dev.ascribe.core.model;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import dev.ascribe.core.provenance.Hashes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * The {@link ModelSpec} of an imported TorchScript module ({@link ModelKind#TORCHSCRIPT}): the
 * file that defines it, the checkpoint files (one model each; the defining file is the first), and
 * what inspecting the module found: its trainable parameters' names and shapes, which make the
 * flat layout in the module's {@code named_parameters()} order. Its live model is {@link
 * TorchScriptModel}.
 *
 * <p>A module has no taps, so per-example gradients take the generic per-example backward path.
 * The files must be readable wherever the model is opened (every executor, on a cluster).
 */
public final class TorchScriptSpec implements ModelSpec {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final String sha256;
  private final List<String> checkpoints;
  private final int inputDim;
  private final int numClasses;
  private final List<ParameterBlock> layout;

  private TorchScriptSpec(String file, String sha256, List<String> checkpoints, int inputDim,
      int numClasses, List<ParameterBlock> layout) {
    this.file = file;
    this.sha256 = sha256;
    this.checkpoints = List.copyOf(checkpoints);
    this.inputDim = inputDim;
    this.numClasses = numClasses;
    this.layout = List.copyOf(layout);
  }

  /**
   * Inspects {@code fileOrFolder} (a .pt file, or a folder whose .pt files, in name order, are
   * the checkpoints) for rows of {@code inputDim} features and labels in [0, numClasses): every
   * file must load as TorchScript, have trainable parameters, take one (B, inputDim) float32
   * tensor and return (B, numClasses) logits, and all files must have the same parameters.
   *
   * @throws IllegalArgumentException naming option {@code model.file}, the file and what was
   *     expected, for any file that does not qualify
   */
  public static TorchScriptSpec inspect(Path fileOrFolder, int inputDim, int numClasses) {
    List<Path> files = files(fileOrFolder.toAbsolutePath().normalize());
    List<ParameterBlock> layout = null;
    for (Path f : files) {
      List<ParameterBlock> found = inspectFile(f, inputDim, numClasses);
      if (layout == null) {
        layout = found;
      } else if (!layout.equals(found)) {
        throw new IllegalArgumentException("option model.file: checkpoint " + f + " has"
            + " parameters " + found + ", but " + files.get(0) + " has " + layout
            + ": every checkpoint must be the same module");
      }
    }
    return new TorchScriptSpec(files.get(0).toString(), sha256(files.get(0)),
        files.stream().map(Path::toString).toList(), inputDim, numClasses, layout);
  }

  private static List<Path> files(Path given) {
    if (Files.isDirectory(given)) {
      List<Path> found;
      try (Stream<Path> s = Files.list(given)) {
        found = s.filter(p -> p.getFileName().toString().endsWith(".pt")).sorted().toList();
      } catch (IOException e) {
        throw new UncheckedIOException("option model.file: cannot list folder " + given, e);
      }
      if (found.isEmpty()) {
        throw new IllegalArgumentException("option model.file given folder " + given
            + ": it holds no .pt file; expected TorchScript files, one per checkpoint");
      }
      return found;
    }
    if (!Files.isRegularFile(given)) {
      throw new IllegalArgumentException("option model.file given " + given
          + ": no such file or folder; expected a TorchScript .pt file or a folder of them");
    }
    return List.of(given);
  }

  /** The trainable parameters of one file, after checking it loads and fits the rows. */
  private static List<ParameterBlock> inspectFile(Path f, int inputDim, int numClasses) {
    try (NDManager manager = NDManager.newBaseManager()) {
      PtSymbolBlock block;
      try {
        block = TorchScriptModel.load(f, manager);
      } catch (EngineException e) {
        throw new IllegalArgumentException("option model.file: " + f + " is not a TorchScript"
            + " file (PyTorch: " + firstLine(e) + "); export the model with"
            + " tools/export_torchscript.py", e);
      }
      NDList params = TorchScriptModel.trainable(block);
      if (params.isEmpty()) {
        throw new IllegalArgumentException("option model.file: " + f + " has no trainable"
            + " parameters, so there are no gradients to attribute with; expected a module whose"
            + " parameters require gradients (torch.jit.script of an nn.Module with parameters)");
      }
      Shape expected = new Shape(2, numClasses);
      Shape got;
      try {
        NDArray x = manager.zeros(new Shape(2, inputDim), DataType.FLOAT32);
        got = IValueUtils.forward(block, new NDList(x), false).singletonOrThrow().getShape();
      } catch (EngineException | IllegalArgumentException e) {
        throw new IllegalArgumentException("option model.file: " + f + " failed on a (2, "
            + inputDim + ") float32 batch, the width of the rows' features (PyTorch: "
            + firstLine(e) + "); expected forward(x) to take one tensor of shape (B, "
            + inputDim + ")", e);
      }
      if (!got.equals(expected)) {
        throw new IllegalArgumentException("option model.file: " + f + " returns shape " + got
            + " for a (2, " + inputDim + ") batch; expected " + expected + ": one logit per class"
            + " of the labels (" + numClasses + " classes)");
      }
      List<String> names = TorchScriptModel.trainableNames(block);
      List<ParameterBlock> blocks = new ArrayList<>();
      int offset = 0;
      for (int i = 0; i < params.size(); i++) {
        long[] shape = params.get(i).getShape().getShape();
        ParameterBlock b = new ParameterBlock(names.get(i), shape, offset);
        blocks.add(b);
        offset = b.end();
      }
      return blocks;
    }
  }

  private static String firstLine(Exception e) {
    String m = String.valueOf(e.getMessage()).strip();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  private static String sha256(Path f) {
    try {
      return Hashes.sha256(f);
    } catch (IOException e) {
      throw new UncheckedIOException("option model.file: cannot read " + f, e);
    }
  }

  /** The file whose module every checkpoint of this spec runs (the first checkpoint). */
  public String file() {
    return file;
  }

  /** The checkpoint files, one model each, in name order. */
  public List<String> checkpoints() {
    return checkpoints;
  }

  @Override
  public ModelKind kind() {
    return ModelKind.TORCHSCRIPT;
  }

  /** "torchscript:" and the defining file's name. */
  @Override
  public String name() {
    return "torchscript:" + Path.of(file).getFileName();
  }

  @Override
  public int inputDim() {
    return inputDim;
  }

  @Override
  public int numClasses() {
    return numClasses;
  }

  @Override
  public int numParameters() {
    return layout.get(layout.size() - 1).end();
  }

  /** 0: a module runs as exported. */
  @Override
  public double dropout() {
    return 0;
  }

  @Override
  public List<ParameterBlock> layout() {
    return layout;
  }

  /** None: a module's layers are not visible from Java. */
  @Override
  public List<TappedLayer> tappedLayers() {
    return List.of();
  }

  /**
   * The module with the defining file's parameters (overwrite them with {@link
   * Model#setParameters}); float32 only.
   *
   * @throws IllegalStateException if the file changed since this spec was made
   */
  @Override
  public TorchScriptModel open(NDManager manager, DataType type) {
    if (type != DataType.FLOAT32) {
      throw new IllegalArgumentException("TorchScript model " + name() + " runs in float32 only:"
          + " asked for " + type);
    }
    TorchScriptModel net = TorchScriptModel.open(this, manager);
    List<String> names = TorchScriptModel.trainableNames(net.block());
    for (int i = 0; i < layout.size(); i++) {
      ParameterBlock b = layout.get(i);
      if (names.size() != layout.size() || !names.get(i).equals(b.name())
          || !new Shape(b.shape()).equals(net.parameters().get(i).getShape())) {
        net.close();
        throw new IllegalStateException(file + " no longer has the parameters " + layout
            + " recorded when it was imported: the file changed; import it again");
      }
    }
    return net;
  }

  /**
   * The module re-initialized, float32, by PyTorch's default rule for linear and convolutional
   * layers, drawn on the JVM so every machine gets the same values: each array of two or more
   * dimensions (a weight of shape (out, ...)) and the one-dimensional array right after it of
   * length out (its bias) are uniform in ±1/√fan_in, fan_in = the weight's size / out, drawn in
   * that order from {@code Seeds.derive(seed, l)} for the l-th weight. For an exported MLP this is
   * exactly the built-in {@link Network#initialize}. Retraining (ground truth) starts here.
   *
   * @throws IllegalArgumentException for a one-dimensional array that is no weight's bias (batch
   *     norm and the like, whose initialization the rule does not know)
   */
  @Override
  public TorchScriptModel initialize(NDManager manager, long seed) {
    double[] theta = new double[numParameters()];
    int weights = 0;
    for (int k = 0; k < layout.size(); k++) {
      ParameterBlock w = layout.get(k);
      long[] shape = w.shape();
      if (shape.length < 2) {
        throw new IllegalArgumentException("model " + name() + " cannot be initialized for"
            + " retraining: parameter " + w + " is neither a weight (2 or more dimensions) nor"
            + " the bias right after one; PyTorch's default rule covers linear and convolutional"
            + " layers only");
      }
      SplittableRandom rng = new SplittableRandom(Seeds.derive(seed, weights++));
      double bound = 1.0 / Math.sqrt((double) w.size() / shape[0]);
      int end = w.end();
      if (k + 1 < layout.size() && layout.get(k + 1).shape().length == 1
          && layout.get(k + 1).size() == shape[0]) {
        end = layout.get(++k).end();
      }
      for (int i = w.offset(); i < end; i++) {
        theta[i] = (2 * rng.nextDouble() - 1) * bound;
      }
    }
    TorchScriptModel net = open(manager, DataType.FLOAT32);
    net.setParameters(theta);
    return net;
  }

  @Override
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", ModelKind.TORCHSCRIPT.id());
    m.put("file", file);
    m.put("sha256", sha256);
    m.put("checkpoints", checkpoints);
    m.put("input_dim", inputDim);
    m.put("classes", numClasses);
    m.put("parameters", numParameters());
    List<Map<String, Object>> shapes = new ArrayList<>();
    for (ParameterBlock b : layout) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("name", b.name());
      p.put("shape", java.util.Arrays.stream(b.shape()).boxed().toList());
      shapes.add(p);
    }
    m.put("parameter_shapes", shapes);
    return m;
  }

  /** Rebuilds a spec from {@link #toMap()}'s output (the files are checked when opened). */
  static TorchScriptSpec fromMap(Map<String, ?> m) {
    List<ParameterBlock> layout = new ArrayList<>();
    int offset = 0;
    for (Object o : (List<?>) m.get("parameter_shapes")) {
      Map<?, ?> p = (Map<?, ?>) o;
      long[] shape = ((List<?>) p.get("shape")).stream().mapToLong(s -> ((Number) s).longValue())
          .toArray();
      ParameterBlock b = new ParameterBlock((String) p.get("name"), shape, offset);
      layout.add(b);
      offset = b.end();
    }
    List<String> checkpoints = ((List<?>) m.get("checkpoints")).stream().map(String::valueOf)
        .toList();
    return new TorchScriptSpec((String) m.get("file"), (String) m.get("sha256"), checkpoints,
        ((Number) m.get("input_dim")).intValue(), ((Number) m.get("classes")).intValue(), layout);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TorchScriptSpec s && s.file.equals(file) && s.sha256.equals(sha256)
        && s.checkpoints.equals(checkpoints) && s.inputDim == inputDim
        && s.numClasses == numClasses && s.layout.equals(layout);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * file.hashCode() + sha256.hashCode()) + layout.hashCode();
  }

  @Override
  public String toString() {
    return name() + " (" + inputDim + " -> " + numClasses + ", " + numParameters()
        + " parameters in " + layout.size() + " arrays)";
  }
}
