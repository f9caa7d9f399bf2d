package dev.ascribe.core.model;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Every model kind, in one place: the name a configuration's {@code model.kind} and model.json's
 * {@code kind} use, how the {@code model.*} options become a {@link ModelSpec}, and how a written
 * {@link ModelSpec#toMap()} is read back. A new kind is one {@link ModelSpec} implementation and
 * one constant here.
 */
public enum ModelKind {
  /** Multinomial logistic regression ({@link FeedForwardSpec} with no hidden layer). */
  LR("lr") {
    @Override
    public ModelSpec parse(ModelSection section, int inputDim, int numClasses) {
      if (!section.intList("hidden").isEmpty()) {
        throw section.invalid("hidden", "must be [] for model.kind lr");
      }
      return FeedForwardSpec.logisticRegression(inputDim, numClasses);
    }

    @Override
    ModelSpec read(Map<String, ?> m) {
      return FeedForwardSpec.fromMap(m);
    }
  },
  /** A ReLU multilayer perceptron ({@link FeedForwardSpec}). */
  MLP("mlp") {
    @Override
    public ModelSpec parse(ModelSection section, int inputDim, int numClasses) {
      return FeedForwardSpec.mlp(inputDim,
          section.intList("hidden").stream().mapToInt(Integer::intValue).toArray(), numClasses,
          section.number("dropout"));
    }

    @Override
    ModelSpec read(Map<String, ?> m) {
      return FeedForwardSpec.fromMap(m);
    }
  },
  /**
   * An imported TorchScript module ({@link TorchScriptSpec}): {@code model.file} names a .pt file,
   * or a folder of them, one per checkpoint.
   */
  TORCHSCRIPT("torchscript") {
    @Override
    public ModelSpec parse(ModelSection section, int inputDim, int numClasses) {
      noHidden(section, "torchscript", "the module defines its layers");
      if (section.number("dropout") != 0) {
        throw section.invalid("dropout", "must be 0 for model.kind torchscript: the module runs"
            + " as exported");
      }
      String file = section.string("file");
      if (file.isEmpty()) {
        throw section.invalid("file", "must name a TorchScript .pt file or a folder of them for"
            + " model.kind torchscript");
      }
      return TorchScriptSpec.inspect(Path.of(file), inputDim, numClasses);
    }

    @Override
    ModelSpec read(Map<String, ?> m) {
      return TorchScriptSpec.fromMap(m);
    }
  },
  /**
   * dattri's ResNet-9 for 3 x 32 x 32 images ({@link ResNet9Spec}): {@code model.channels} gives
   * the four widths, {@code model.dropout} the rate after each convolution.
   */
  RESNET9("resnet9") {
    @Override
    public ModelSpec parse(ModelSection section, int inputDim, int numClasses) {
      noHidden(section, "resnet9", "set model.channels");
      int[] channels = section.intList("channels").stream().mapToInt(Integer::intValue).toArray();
      if (channels.length != 4 || java.util.Arrays.stream(channels).anyMatch(c -> c < 1)) {
        throw section.invalid("channels", "must be 4 widths >= 1 for model.kind resnet9 (stem"
            + " and three stages; dattri's are [64, 128, 256, 512])");
      }
      return ResNet9Spec.of(inputDim, channels, numClasses, section.number("dropout"));
    }

    @Override
    ModelSpec read(Map<String, ?> m) {
      return ResNet9Spec.fromMap(m);
    }
  },
  /**
   * A character-level GPT in nanoGPT's shape ({@link GptSpec}) over rows of T + 1 token ids (such
   * as the built-in shakespeare data): {@code model.layers}, {@code model.heads}, {@code
   * model.embd}; the vocabulary is the data's classes.
   */
  GPT("gpt") {
    @Override
    public ModelSpec parse(ModelSection section, int inputDim, int numClasses) {
      noHidden(section, "gpt", "use model.layers and model.embd");
      if (inputDim < 2) {
        throw new IllegalArgumentException("model.kind gpt needs rows of T + 1 >= 2 token ids:"
            + " the data's rows have width " + inputDim);
      }
      int embd = whole(section, "embd");
      int heads = whole(section, "heads");
      if (embd % heads != 0) {
        throw section.invalid("heads", "must divide model.embd (" + embd + ")");
      }
      return new GptSpec(numClasses, inputDim - 1, whole(section, "layers"), heads, embd,
          section.number("dropout"));
    }

    @Override
    ModelSpec read(Map<String, ?> m) {
      return GptSpec.fromMap(m);
    }
  };

  /** Refuses {@code model.hidden}, an MLP's option, for a kind that defines its layers itself. */
  private static void noHidden(ModelSection section, String kind, String instead) {
    if (!section.intList("hidden").isEmpty()) {
      throw section.invalid("hidden", "must be [] for model.kind " + kind + ": " + instead);
    }
  }

  /** Option {@code key} as a whole number >= 1. */
  private static int whole(ModelSection section, String key) {
    double v = section.number(key);
    if (v != Math.rint(v) || v < 1 || v > Integer.MAX_VALUE) {
      throw section.invalid(key, "must be a whole number >= 1");
    }
    return (int) v;
  }

  private final String id;

  ModelKind(String id) {
    this.id = id;
  }

  /** The name in configurations and model.json. */
  public String id() {
    return id;
  }

  /**
   * The spec the {@code model.*} options describe, for rows of width {@code inputDim} (from the
   * data) and {@code numClasses} classes.
   */
  public abstract ModelSpec parse(ModelSection section, int inputDim, int numClasses);

  abstract ModelSpec read(Map<String, ?> m);

  /** The kind named {@code id}; an IllegalArgumentException listing the kinds otherwise. */
  public static ModelKind of(String id) {
    for (ModelKind k : values()) {
      if (k.id.equals(id)) {
        return k;
      }
    }
    throw new IllegalArgumentException("model kind given " + id + ": expected " + names());
  }

  /** The kind names, as an error message lists them: "lr, mlp or torchscript". */
  public static String names() {
    List<String> ids = Arrays.stream(values()).map(ModelKind::id).toList();
    return ids.size() == 1 ? ids.get(0)
        : String.join(", ", ids.subList(0, ids.size() - 1)) + " or " + ids.get(ids.size() - 1);
  }

  /** Reads a {@link ModelSpec#toMap()} written by any kind (its {@code kind} entry picks it). */
  public static ModelSpec fromMap(Map<String, ?> m) {
    Object kind = m.get("kind");
    if (!(kind instanceof String s)) {
      throw new IllegalArgumentException("model description has kind " + kind + ": expected "
          + names());
    }
    return of(s).read(m);
  }
}
