package dev.ascribe.core.ihvp;

/**
 * A solver that could not produce a finite answer (LiSSA's recursion blowing up, CG meeting
 * non-positive curvature). The message names the options to change; scores are never written from
 * a diverged solve.
 */
public final class SolverDivergedException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public SolverDivergedException(String message) {
    super(message);
  }
}
