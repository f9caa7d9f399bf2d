package dev.ascribe.core.linalg;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The damping λ as given on the command line (DESIGN.md, Mathematics): an absolute value on the
 * mean scale ({@code 0}, {@code 1e-3}), a multiple of the kernel's mean non-zero eigenvalue ({@code
 * 0.3x}, {@code 1x}; see {@link Kernel#meanNonZeroEigenvalue()}), or {@code auto}.
 *
 * <p>{@code auto} is the rule chosen by validating DESIGN.md's retraining-free λ selection against
 * retrained models (README, "Choosing λ without retraining"): λ = {@value #AUTO_MULTIPLE} x the mean
 * non-zero eigenvalue of each checkpoint's kernel. It needs only the spectrum, so every kernel
 * resolves it; the jobs also record the ξ̄ curve of the validation queries beside it.
 *
 * <p>Immutable; {@code parse(spec.toString())} equals {@code spec}.
 */
public final class LambdaSpec implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  /** The three forms of λ. */
  public enum Kind {
    /** An absolute λ on the mean scale. */
    ABSOLUTE,
    /** A multiple of the mean non-zero eigenvalue of F = G/n. */
    RELATIVE,
    /** Chosen by the validated rule ({@link #AUTO_MULTIPLE} x the mean eigenvalue). */
    AUTO
  }

  // Plain decimal notation only: no hex, no NaN/Infinity, no Java suffixes such as 1d or 1f.
  private static final Pattern NUMBER =
      Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
  /**
   * The multiple of the mean non-zero eigenvalue that {@code auto} resolves to: the rule that kept
   * LDS ≥ 0.9 x the best grid LDS in every validation case (README).
   */
  public static final double AUTO_MULTIPLE = 1.0;

  private static final LambdaSpec AUTO_SPEC = new LambdaSpec(Kind.AUTO, Double.NaN);

  private final Kind kind;
  private final double value;

  private LambdaSpec(Kind kind, double value) {
    this.kind = kind;
    this.value = value;
  }

  /** An absolute λ, finite and >= 0. */
  public static LambdaSpec absolute(double lambda) {
    return new LambdaSpec(Kind.ABSOLUTE, checked(lambda, Double.toString(lambda)));
  }

  /** λ = {@code multiple} x the mean non-zero eigenvalue; {@code multiple} finite and >= 0. */
  public static LambdaSpec relative(double multiple) {
    return new LambdaSpec(Kind.RELATIVE, checked(multiple, multiple + "x"));
  }

  /** λ chosen by the validated rule. */
  public static LambdaSpec auto() {
    return AUTO_SPEC;
  }

  /**
   * Parses the command-line form: {@code auto} (any case), a decimal number such as {@code 0} or
   * {@code 1e-3}, or a decimal number followed by {@code x} such as {@code 0.3x}. Surrounding
   * spaces are ignored.
   *
   * @throws IllegalArgumentException naming the value given, e.g. {@code lambda given '-1': must be
   *     >= 0, a multiple like 0.3x, or auto}
   */
  public static LambdaSpec parse(String text) {
    if (text == null) {
      throw rejected(null);
    }
    String s = text.strip().toLowerCase(Locale.ROOT);
    if (s.equals("auto")) {
      return AUTO_SPEC;
    }
    boolean multiple = s.endsWith("x");
    String number = multiple ? s.substring(0, s.length() - 1) : s;
    if (!NUMBER.matcher(number).matches()) {
      throw rejected(text);
    }
    double v = Double.parseDouble(number);
    checked(v, text);
    return multiple ? relative(v) : absolute(v);
  }

  /** Which form this is. */
  public Kind kind() {
    return kind;
  }

  /** The absolute λ or the multiple; NaN for {@link Kind#AUTO}. */
  public double value() {
    return value;
  }

  /**
   * The absolute λ for {@code kernel}: the value itself, or the multiple times {@link
   * Kernel#meanNonZeroEigenvalue()}; for {@code auto}, {@link #AUTO_MULTIPLE} times it.
   *
   * @throws IllegalStateException for a relative λ on a kernel with no non-zero eigenvalue
   */
  public double resolve(Kernel kernel) {
    return resolve(kernel::meanNonZeroEigenvalue);
  }

  /**
   * As {@link #resolve(Kernel)} for any curvature whose mean non-zero eigenvalue {@code
   * meanNonZeroEigenvalue} gives (asked only for a relative λ or {@code auto}).
   */
  public double resolve(java.util.function.DoubleSupplier meanNonZeroEigenvalue) {
    return switch (kind) {
      case ABSOLUTE -> value;
      case RELATIVE -> value == 0 ? 0 : value * meanNonZeroEigenvalue.getAsDouble();
      case AUTO -> AUTO_MULTIPLE * meanNonZeroEigenvalue.getAsDouble();
    };
  }

  /** The command-line form: {@code auto}, a number such as {@code 0.001}, or {@code 0.3x}. */
  @Override
  public String toString() {
    if (kind == Kind.AUTO) {
      return "auto";
    }
    String number = value == 0 ? "0" : BigDecimal.valueOf(value).stripTrailingZeros().toString();
    return kind == Kind.RELATIVE ? number + "x" : number;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LambdaSpec l
        && l.kind == kind && Double.compare(l.value, value) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, value);
  }

  private static double checked(double v, String given) {
    if (!(v >= 0) || Double.isInfinite(v)) {
      throw rejected(given);
    }
    // -0 is 0: keeps equals and toString simple.
    return v == 0 ? 0.0 : v;
  }

  private static IllegalArgumentException rejected(String given) {
    String quoted = given == null ? "null" : "'" + given + "'";
    return new IllegalArgumentException(
        "lambda given " + quoted + ": must be >= 0, a multiple like 0.3x, or auto");
  }
}
