package dev.ascribe.udf.io;

import java.util.Locale;

/** Which end of a query's ranking a top-K row comes from (the {@code kind} column). */
public enum ScoreKind {
  /** The largest positive scores: examples that helped the query most. */
  PROPONENT,
  /** The most negative scores: examples that hurt the query most. */
  OPPONENT;

  /** The value stored in the {@code kind} column: {@code proponent} or {@code opponent}. */
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The kind stored as {@code value}.
   *
   * @throws IllegalArgumentException naming the value and the accepted ones
   */
  public static ScoreKind of(String value) {
    for (ScoreKind k : values()) {
      if (k.value().equals(value)) {
        return k;
      }
    }
    throw new IllegalArgumentException(
        "score kind '" + value + "': expected 'proponent' or 'opponent'");
  }
}
