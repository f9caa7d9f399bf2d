package dev.ascribe.core.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link ModelSpec} of {@link ModelKind#RESNET9}: dattri's ResNet-9 for CIFAR (its
 * {@code benchmark/models/resnet9}), a stem and three residual stages over 3 x 32 x 32 images,
 * with widths {@code channels = [c0, c1, c2, c3]} (dattri: 64, 128, 256, 512):
 *
 * <pre>
 *   stem:    conv3x3(3 → c0) bn relu dropout
 *   stage s: conv3x3(c_{s-1} → c_s, stride 1, 2, 2) bn relu dropout, conv3x3(c_s → c_s) bn relu dropout,
 *            plus the shortcut conv1x1(c_{s-1} → c_s, same stride) bn dropout; relu of the sum
 *   head:    average pooling over positions, flatten, linear(c3 → classes) with bias
 * </pre>
 *
 * <p>Every convolution is bias-less and a {@link Conv2d} (a linear map over unfolded patches,
 * tapped at its H'W' positions); every batch normalization ({@link BatchNorm}) follows one. The
 * flat layout is, per conv unit in the order above, {@code <unit>.weight} (Cout, Cin k k),
 * {@code <unit>.bn.weight} γ (Cout) and {@code <unit>.bn.bias} β (Cout), then {@code linear.weight}
 * (classes, c3) and {@code linear.bias}. The state is each unit's running mean and running
 * variance (Cout each), in unit order.
 */
public final class ResNet9Spec implements ModelSpec {
  private static final long serialVersionUID = 1L;

  /** Image channels, height and width the network takes (CIFAR). */
  public static final int IMAGE_CHANNELS = 3;
  public static final int IMAGE_SIZE = 32;
  /** Number of conv units: the stem and three per stage. */
  static final int UNITS = 10;

  private final int[] channels;
  private final int numClasses;
  private final double dropout;

  private ResNet9Spec(int[] channels, int numClasses, double dropout) {
    if (channels.length != 4 || Arrays.stream(channels).anyMatch(c -> c < 1)) {
      throw new IllegalArgumentException("model channels given " + Arrays.toString(channels)
          + ": resnet9 needs 4 widths >= 1 (stem and three stages; dattri: [64, 128, 256, 512])");
    }
    if (numClasses < 2) {
      throw new IllegalArgumentException("model classes given " + numClasses + ": must be >= 2");
    }
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("model dropout given " + dropout + ": must be in [0, 1)");
    }
    this.channels = channels.clone();
    this.numClasses = numClasses;
    this.dropout = dropout;
  }

  /**
   * A ResNet-9 for rows of width {@code inputDim}, which must be a 3 x 32 x 32 image.
   *
   * @throws IllegalArgumentException naming both widths when {@code inputDim} is not 3072
   */
  public static ResNet9Spec of(int inputDim, int[] channels, int numClasses, double dropout) {
    int image = IMAGE_CHANNELS * IMAGE_SIZE * IMAGE_SIZE;
    if (inputDim != image) {
      throw new IllegalArgumentException("model kind resnet9 takes " + IMAGE_CHANNELS + " x "
          + IMAGE_SIZE + " x " + IMAGE_SIZE + " images (" + image + " floats per row, channels,"
          + " then rows, then columns): the rows have width " + inputDim);
    }
    return new ResNet9Spec(channels, numClasses, dropout);
  }

  @Override
  public ModelKind kind() {
    return ModelKind.RESNET9;
  }

  /** "resnet9-64-128-256-512". */
  @Override
  public String name() {
    StringBuilder sb = new StringBuilder("resnet9");
    for (int c : channels) {
      sb.append('-').append(c);
    }
    return sb.toString();
  }

  @Override
  public int inputDim() {
    return IMAGE_CHANNELS * IMAGE_SIZE * IMAGE_SIZE;
  }

  @Override
  public int numClasses() {
    return numClasses;
  }

  @Override
  public double dropout() {
    return dropout;
  }

  /** Conv unit {@code u}: 0 the stem, then per stage s its first conv, second conv, shortcut. */
  Conv2d conv(int u) {
    if (u == 0) {
      return new Conv2d(IMAGE_CHANNELS, channels[0], 3, 1, 1);
    }
    int stage = (u - 1) / 3 + 1;
    int in = channels[stage - 1];
    int out = channels[stage];
    int stride = stage == 1 ? 1 : 2;
    return switch ((u - 1) % 3) {
      case 0 -> new Conv2d(in, out, 3, stride, 1);
      case 1 -> new Conv2d(out, out, 3, 1, 1);
      default -> new Conv2d(in, out, 1, stride, 0);
    };
  }

  /** Conv unit {@code u}'s name in the layout. */
  static String unitName(int u) {
    if (u == 0) {
      return "stem";
    }
    String[] parts = {"conv1", "conv2", "shortcut"};
    return "stage" + ((u - 1) / 3 + 1) + "." + parts[(u - 1) % 3];
  }

  /** Height (= width) of the images conv unit {@code u} writes. */
  int outSize(int u) {
    int size = conv(0).outSize(IMAGE_SIZE);
    // A stage's first conv and its shortcut set the stage's size; its second conv keeps it.
    for (int stage = 1; stage <= (u + 2) / 3; stage++) {
      size = conv(3 * stage - 2).outSize(size);
    }
    return size;
  }

  /** Width of the last stage (the linear layer's input). */
  int features() {
    return channels[3];
  }

  @Override
  public List<ParameterBlock> layout() {
    List<ParameterBlock> blocks = new ArrayList<>();
    int off = 0;
    for (int u = 0; u < UNITS; u++) {
      Conv2d c = conv(u);
      String name = unitName(u);
      blocks.add(new ParameterBlock(name + ".weight", new long[] {c.out(), c.patchWidth()}, off));
      off += c.out() * c.patchWidth();
      blocks.add(new ParameterBlock(name + ".bn.weight", new long[] {c.out()}, off));
      off += c.out();
      blocks.add(new ParameterBlock(name + ".bn.bias", new long[] {c.out()}, off));
      off += c.out();
    }
    blocks.add(new ParameterBlock("linear.weight", new long[] {numClasses, features()}, off));
    blocks.add(new ParameterBlock("linear.bias", new long[] {numClasses}, off
        + numClasses * features()));
    return blocks;
  }

  /** Layout index of conv unit {@code u}'s weight (γ and β follow it). */
  static int weightBlock(int u) {
    return 3 * u;
  }

  /** Layout index of the linear layer's weight (its bias follows). */
  static int linearBlock() {
    return 3 * UNITS;
  }

  @Override
  public int numParameters() {
    List<ParameterBlock> blocks = layout();
    return blocks.get(blocks.size() - 1).end();
  }

  /** Each unit's running mean and variance, 2 x its output channels. */
  @Override
  public int stateSize() {
    int size = 0;
    for (int u = 0; u < UNITS; u++) {
      size += 2 * conv(u).out();
    }
    return size;
  }

  /**
   * Taps 0-9: the conv units (no bias, applied at H'W' positions over unfolded patches); tap 10:
   * the linear layer.
   */
  @Override
  public List<TappedLayer> tappedLayers() {
    List<ParameterBlock> blocks = layout();
    List<TappedLayer> taps = new ArrayList<>();
    for (int u = 0; u < UNITS; u++) {
      Conv2d c = conv(u);
      taps.add(new TappedLayer(u, c.patchWidth(), c.out(), blocks.get(weightBlock(u)).offset(),
          TappedLayer.NO_BIAS));
    }
    taps.add(new TappedLayer(UNITS, features(), numClasses,
        blocks.get(linearBlock()).offset(), blocks.get(linearBlock() + 1).offset()));
    return taps;
  }

  /** Every batch normalization's γ and β, unit by unit. */
  @Override
  public List<Integer> probedBlocks() {
    List<Integer> blocks = new ArrayList<>();
    for (int u = 0; u < UNITS; u++) {
      blocks.add(weightBlock(u) + 1);
      blocks.add(weightBlock(u) + 2);
    }
    return blocks;
  }

  @Override
  public ResNet9 open(NDManager manager, DataType type) {
    return ResNet9.open(this, manager, type);
  }

  @Override
  public ResNet9 initialize(NDManager manager, long seed) {
    return ResNet9.initialize(this, manager, seed);
  }

  @Override
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", ModelKind.RESNET9.id());
    m.put("input_dim", inputDim());
    m.put("channels", Arrays.stream(channels).boxed().toList());
    m.put("classes", numClasses);
    m.put("dropout", dropout);
    m.put("parameters", numParameters());
    return m;
  }

  /** Rebuilds a spec from {@link #toMap()}'s output. */
  static ResNet9Spec fromMap(Map<String, ?> m) {
    int[] channels = ((List<?>) m.get("channels")).stream()
        .mapToInt(o -> ((Number) o).intValue()).toArray();
    return of(((Number) m.get("input_dim")).intValue(), channels,
        ((Number) m.get("classes")).intValue(), ((Number) m.get("dropout")).doubleValue());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ResNet9Spec r && Arrays.equals(r.channels, channels)
        && r.numClasses == numClasses && r.dropout == dropout;
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(channels) + numClasses;
  }

  @Override
  public String toString() {
    return name() + " (" + inputDim() + " -> " + numClasses + ", " + numParameters()
        + " parameters" + (dropout > 0 ? ", dropout " + dropout : "") + ")";
  }
}
