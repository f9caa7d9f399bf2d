package dev.ascribe.core.score;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A bounded selection of one query's strongest proponents (largest positive scores) or opponents
 * (most negative scores). Ties are broken by score, then by example id ascending (DESIGN.md), so
 * the result does not depend on the order examples are offered in: partial selections from
 * partitions can be merged.
 */
public final class TopK implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Which end of the scores to keep. */
  public enum Kind {
    /** Largest positive scores: the examples that helped most. */
    PROPONENT,
    /** Most negative scores: the examples that hurt most. */
    OPPONENT;

    /** The value stored in the scores table's {@code kind} column: proponent or opponent. */
    public String value() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The kind stored as {@code value}.
     *
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public static Kind of(String value) {
      for (Kind k : values()) {
        if (k.value().equals(value)) {
          return k;
        }
      }
      throw new IllegalArgumentException(
          "score kind '" + value + "': expected 'proponent' or 'opponent'");
    }
  }

  /**
   * One selected example.
   *
   * @param exampleId training example id
   * @param score its score for the query
   */
  public record Entry(long exampleId, double score) implements Serializable {}

  private final int k;
  private final Kind kind;
  /** Best first. */
  private final Comparator<Entry> order;
  /** Worst of the kept on top, so it is the one evicted. */
  private final PriorityQueue<Entry> heap;

  public TopK(int k, Kind kind) {
    if (k < 1) {
      throw new IllegalArgumentException("topk given " + k + ": must be >= 1");
    }
    this.k = k;
    this.kind = kind;
    this.order = new Order(kind, false);
    this.heap = new PriorityQueue<>(k + 1, new Order(kind, true));
  }

  /**
   * Best first: score (descending for proponents, ascending for opponents), then id ascending.
   * A named class, not a lambda, so that partial selections can travel between Spark tasks.
   */
  private record Order(Kind kind, boolean worstFirst) implements Comparator<Entry>, Serializable {
    @Override
    public int compare(Entry a, Entry b) {
      int byScore = kind == Kind.PROPONENT
          ? Double.compare(b.score(), a.score())
          : Double.compare(a.score(), b.score());
      int c = byScore != 0 ? byScore : Long.compare(a.exampleId(), b.exampleId());
      return worstFirst ? -c : c;
    }
  }

  /** Considers one example; zero and wrong-signed scores are never proponents or opponents. */
  public void offer(long exampleId, double score) {
    if (kind == Kind.PROPONENT ? !(score > 0) : !(score < 0)) {
      return;
    }
    Entry e = new Entry(exampleId, score);
    if (heap.size() < k) {
      heap.add(e);
    } else if (order.compare(e, heap.peek()) < 0) {
      heap.poll();
      heap.add(e);
    }
  }

  /** Adds another partial selection of the same query and kind. */
  public TopK merge(TopK other) {
    for (Entry e : other.heap) {
      offer(e.exampleId(), e.score());
    }
    return this;
  }

  /** The kept examples, strongest first (rank 1 first). */
  public List<Entry> sorted() {
    List<Entry> list = new ArrayList<>(heap);
    list.sort(order);
    return list;
  }
}
