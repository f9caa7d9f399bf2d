package dev.ascribe.core.method;

import dev.ascribe.core.score.ScoreMatrix;
import dev.ascribe.core.data.Dataset;
import java.util.Map;

/** The immutable result of {@link Attributor#cache}: it remembers its options and training side. */
public interface FittedAttributor {
  /** Scores, rows = the cached training examples, columns = {@code queries}. */
  ScoreMatrix attribute(Dataset queries);

  /** What was fitted and with which resolved options (e.g. λ per model), for provenance. */
  Map<String, Object> describe();
}
