package dev.ascribe.core.feature;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Which {@link GradientMap} turns per-example gradients into features, chosen by option and
 * independent of the method; {@link FeatureMaps#create} builds each from {@link
 * FeatureMapOptions}. Option values are the lower-case names ({@link #fromName}).
 */
public enum FeatureMapKind {
  /** Every parameter's gradient, projected or whole ({@link WholeGradients}). */
  WHOLE,
  /**
   * Per linear layer from the first layer on, (P_out δ) ⊗ (P_in ã), each side projected or whole
   * ({@link KroneckerGradients}; LoGra, and RPS's last layer).
   */
  KRONECKER,
  /** The gradient of the parameters from the first layer on, unprojected ({@link
   * LayerBlockGradients}; IF-explicit's last-layer variant). */
  LAYERS;

  /** The option value naming this kind: its lower-case name, e.g. {@code kronecker}. */
  public String optionName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Every option value, in declaration order. */
  public static List<String> optionNames() {
    return Arrays.stream(values()).map(FeatureMapKind::optionName).toList();
  }

  /**
   * The kind an option value names, case-insensitively.
   *
   * @throws IllegalArgumentException naming {@code features}, the value and the kinds, for a value
   *     that names none of them (null included)
   */
  public static FeatureMapKind fromName(String name) {
    for (FeatureMapKind kind : values()) {
      if (kind.optionName().equalsIgnoreCase(name)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("option features given " + name + ": expected one of "
        + String.join(", ", optionNames()));
  }
}
