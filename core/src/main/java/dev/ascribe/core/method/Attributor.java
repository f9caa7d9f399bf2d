package dev.ascribe.core.method;

import dev.ascribe.core.score.ScoreMatrix;
import dev.ascribe.core.data.Dataset;

/**
 * An attribution method (dattri's interface): {@link #cache} does the training-side work once and
 * returns an immutable fitted state; {@link FittedAttributor#attribute} scores queries with it.
 * Every method implements this, so switching methods is one line.
 */
public interface Attributor {
  /** The method's name as the command line spells it ("trak", "grad-dot"). */
  String method();

  /** Training-side precomputation (features, kernel) for {@code train}. */
  FittedAttributor cache(Dataset train);

  /** Scores of every (train, query) pair: {@code cache(train).attribute(queries)}. */
  default ScoreMatrix attribute(Dataset train, Dataset queries) {
    return cache(train).attribute(queries);
  }
}
