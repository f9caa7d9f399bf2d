package dev.ascribe.core.project;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The kinds of projection, each registered with the {@link Projection} that implements it: this
 * enum is the one place a kind is mapped to its class. Every kind is scaled so that {@code E ||P
 * g||^2 = ||g||^2} (Johnson–Lindenstrauss; Achlioptas 2003 for the Rademacher case).
 *
 * <p>Adding a kind is one class implementing {@link Projection} (and its {@link Projector}) plus
 * one constant here naming its constructor. A kind that cannot serve some use (for instance one
 * that needs a model's layer shapes, asked for a plain vector of length d) throws an {@link
 * IllegalArgumentException} from its constructor naming {@code projection.kind}, the use and the
 * kinds that serve it. Option values are the lower-case names ({@link #fromName}).
 */
public enum ProjectionKind {
  /** Dense, entries independent standard normals (Box–Muller) times {@code 1/sqrt(k)}. */
  GAUSSIAN((options, d) -> new DenseProjection(options, d, DenseProjection.Entries.GAUSSIAN)),
  /** Dense, entries independent fair signs {@code ±1/sqrt(k)}; cheaper to generate. */
  RADEMACHER((options, d) -> new DenseProjection(options, d, DenseProjection.Entries.RADEMACHER)),
  /**
   * Sparse (SJLT): each coordinate sent to {@code sparsity} buckets with random signs, entries
   * {@code ±1/sqrt(s)}; cost s·d per vector ({@link SparseProjection}).
   */
  SJLT(SparseProjection::new),
  /**
   * Factorized per linear layer (LoGra / FactGraSS): each layer's gradient δ ãᵀ becomes (P_out δ)
   * ⊗ (P_in ã), then an SJLT of the concatenation to exactly k. It needs the model's layer shapes,
   * so only whole-gradient feature maps use it ({@code feature.FeatureMaps}, which builds it as
   * Kronecker features); a plain vector of length d is refused.
   */
  FACTORIZED((options, d) -> {
    throw new IllegalArgumentException("option projection.kind given factorized for a plain"
        + " vector of length " + d + ": factorized projects a model's gradients layer by layer"
        + " (whole-gradient feature maps); to project a vector use one of gaussian, rademacher,"
        + " sjlt");
  });

  /** Builds a kind's projection; called only by {@link Projection#of}. */
  @FunctionalInterface
  interface Factory {
    Projection create(ProjectionOptions options, int inputDim);
  }

  private final Factory factory;

  ProjectionKind(Factory factory) {
    this.factory = factory;
  }

  /** The projection of this kind with the given options (whose kind is this one). */
  Projection create(ProjectionOptions options, int inputDim) {
    return factory.create(options, inputDim);
  }

  /** The option value naming this kind: its lower-case name, e.g. {@code gaussian}. */
  public String optionName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Every option value, in declaration order. */
  public static List<String> optionNames() {
    return Arrays.stream(values()).map(ProjectionKind::optionName).toList();
  }

  /**
   * The kind an option value names, case-insensitively.
   *
   * @throws IllegalArgumentException naming {@code projection.kind}, the value and the kinds
   *     implemented, for a value that names none of them (null included)
   */
  public static ProjectionKind fromName(String name) {
    for (ProjectionKind kind : values()) {
      if (kind.optionName().equalsIgnoreCase(name)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("option projection.kind given " + name
        + ": expected one of " + String.join(", ", optionNames()));
  }
}
