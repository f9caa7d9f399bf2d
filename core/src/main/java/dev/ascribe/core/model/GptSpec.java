package dev.ascribe.core.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link ModelSpec} of a character-level GPT in nanoGPT's shape ({@link ModelKind#GPT};
 * Karpathy's nanoGPT {@code model.py}): a token embedding and a learned position embedding, summed;
 * {@code layers} pre-norm blocks, each x + Attn(LN(x)) then x + MLP(LN(x)) with causal multi-head
 * self-attention over {@code heads} heads and an MLP of width 4E with GELU; a final LayerNorm; and
 * a linear head to the vocabulary. Its live model is {@link Gpt}.
 *
 * <p>Differences from nanoGPT, each deliberate: the head is NOT tied to the token embedding (so
 * every parameter has one place in the flat vector) and has a bias, as every linear map here does
 * (nanoGPT's {@code bias=True} configuration), so each linear map is a {@link TappedLayer} with
 * weight and bias.
 *
 * <p>An input row is {@code context + 1} token ids as floats: the model reads the first {@code
 * context} and its targets are the next tokens (the row shifted by one), logits (B, T, vocabulary).
 *
 * <p>Flat layout: {@code wte} (V, E), {@code wpe} (T, E); per block l: {@code h{l}.ln1.weight},
 * {@code .bias} (E), {@code h{l}.attn.weight} (3E, E) (query, key, value stacked) and {@code .bias}
 * (3E), {@code h{l}.proj.weight} (E, E), {@code .bias}, {@code h{l}.ln2.weight}, {@code .bias},
 * {@code h{l}.fc.weight} (4E, E), {@code .bias} (4E), {@code h{l}.fc2.weight} (E, 4E), {@code
 * .bias} (E); then {@code lnf.weight}, {@code lnf.bias} (E), {@code head.weight} (V, E), {@code
 * head.bias} (V). Taps, in order: per block attn, proj, fc, fc2; then head.
 */
public final class GptSpec implements ModelSpec {
  private static final long serialVersionUID = 1L;

  /** Parameter blocks per transformer block. */
  static final int BLOCKS_PER_LAYER = 12;

  /** Tapped linear maps per transformer block: attn, proj, fc, fc2. */
  static final int TAPS_PER_LAYER = 4;

  private final int vocabulary;
  private final int context;
  private final int layers;
  private final int heads;
  private final int embd;
  private final double dropout;

  /**
   * @param vocabulary V, the number of token ids (classes)
   * @param context T, the tokens read per example
   * @param layers transformer blocks, >= 1
   * @param heads attention heads, dividing {@code embd}
   * @param embd E, the embedding width
   * @param dropout in [0, 1): after the embeddings, on attention weights and on both residual
   *     branches while training
   */
  public GptSpec(int vocabulary, int context, int layers, int heads, int embd, double dropout) {
    if (vocabulary < 2) {
      throw new IllegalArgumentException("gpt vocabulary given " + vocabulary + ": must be >= 2");
    }
    if (context < 1) {
      throw new IllegalArgumentException("gpt context given " + context + ": must be >= 1");
    }
    if (layers < 1) {
      throw new IllegalArgumentException("model.layers given " + layers + ": must be >= 1");
    }
    if (heads < 1 || embd < 1 || embd % heads != 0) {
      throw new IllegalArgumentException("model.embd given " + embd + " and model.heads " + heads
          + ": both must be >= 1 and heads must divide embd");
    }
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("model dropout given " + dropout + ": must be in [0, 1)");
    }
    this.vocabulary = vocabulary;
    this.context = context;
    this.layers = layers;
    this.heads = heads;
    this.embd = embd;
    this.dropout = dropout;
  }

  @Override
  public ModelKind kind() {
    return ModelKind.GPT;
  }

  /** "gpt-l2-h4-e64". */
  @Override
  public String name() {
    return "gpt-l" + layers + "-h" + heads + "-e" + embd;
  }

  /** T + 1: the tokens read and the last one predicted. */
  @Override
  public int inputDim() {
    return context + 1;
  }

  @Override
  public int numClasses() {
    return vocabulary;
  }

  /** V: inputs are token ids in [0, V). */
  @Override
  public int tokenVocabulary() {
    return vocabulary;
  }

  /** T, the tokens read per example. */
  public int context() {
    return context;
  }

  /** Transformer blocks. */
  public int layers() {
    return layers;
  }

  /** Attention heads. */
  public int heads() {
    return heads;
  }

  /** Embedding width E. */
  public int embd() {
    return embd;
  }

  @Override
  public double dropout() {
    return dropout;
  }

  @Override
  public int numParameters() {
    List<ParameterBlock> blocks = layout();
    return blocks.get(blocks.size() - 1).end();
  }

  @Override
  public List<ParameterBlock> layout() {
    List<ParameterBlock> blocks = new ArrayList<>();
    int[] offset = {0};
    add(blocks, offset, "wte", vocabulary, embd);
    add(blocks, offset, "wpe", context, embd);
    for (int l = 0; l < layers; l++) {
      String h = "h" + l + ".";
      add(blocks, offset, h + "ln1.weight", embd);
      add(blocks, offset, h + "ln1.bias", embd);
      add(blocks, offset, h + "attn.weight", 3 * embd, embd);
      add(blocks, offset, h + "attn.bias", 3 * embd);
      add(blocks, offset, h + "proj.weight", embd, embd);
      add(blocks, offset, h + "proj.bias", embd);
      add(blocks, offset, h + "ln2.weight", embd);
      add(blocks, offset, h + "ln2.bias", embd);
      add(blocks, offset, h + "fc.weight", 4 * embd, embd);
      add(blocks, offset, h + "fc.bias", 4 * embd);
      add(blocks, offset, h + "fc2.weight", embd, 4 * embd);
      add(blocks, offset, h + "fc2.bias", embd);
    }
    add(blocks, offset, "lnf.weight", embd);
    add(blocks, offset, "lnf.bias", embd);
    add(blocks, offset, "head.weight", vocabulary, embd);
    add(blocks, offset, "head.bias", vocabulary);
    return blocks;
  }

  private static void add(List<ParameterBlock> blocks, int[] offset, String name, long... shape) {
    ParameterBlock b = new ParameterBlock(name, shape, offset[0]);
    blocks.add(b);
    offset[0] = b.end();
  }

  /** Index in {@link #layout()} of block {@code l}'s first parameter (its ln1.weight). */
  static int firstBlockOf(int l) {
    return 2 + BLOCKS_PER_LAYER * l;
  }

  /** Index in {@link #layout()} of the final LayerNorm's weight. */
  int finalNormBlock() {
    return firstBlockOf(layers);
  }

  /**
   * The blocks that are not a linear map's weight or bias, in layout order: wte, wpe, each
   * block's ln1 and ln2 γ and β, the final LayerNorm's γ and β. (The token table could also be a
   * linear map over one-hot inputs; as a probed block it needs no bias-less tap.)
   */
  @Override
  public List<Integer> probedBlocks() {
    List<Integer> blocks = new ArrayList<>(List.of(0, 1));
    for (int l = 0; l < layers; l++) {
      int first = firstBlockOf(l);
      blocks.addAll(List.of(first, first + 1, first + 6, first + 7));
    }
    blocks.addAll(List.of(finalNormBlock(), finalNormBlock() + 1));
    return blocks;
  }

  /** Per block: attn, proj, fc, fc2 (tap 4l + 0..3); then the head (tap 4L). */
  @Override
  public List<TappedLayer> tappedLayers() {
    List<ParameterBlock> blocks = layout();
    List<TappedLayer> taps = new ArrayList<>();
    for (int l = 0; l < layers; l++) {
      int first = firstBlockOf(l);
      taps.add(tapped(taps.size(), blocks, first + 2));
      taps.add(tapped(taps.size(), blocks, first + 4));
      taps.add(tapped(taps.size(), blocks, first + 8));
      taps.add(tapped(taps.size(), blocks, first + 10));
    }
    taps.add(tapped(taps.size(), blocks, finalNormBlock() + 2));
    return taps;
  }

  private static TappedLayer tapped(int index, List<ParameterBlock> blocks, int weightBlock) {
    ParameterBlock w = blocks.get(weightBlock);
    long[] shape = w.shape();
    return new TappedLayer(index, (int) shape[1], (int) shape[0], w.offset(),
        blocks.get(weightBlock + 1).offset());
  }

  @Override
  public Gpt open(NDManager manager, DataType type) {
    return Gpt.open(this, manager, type);
  }

  @Override
  public Gpt initialize(NDManager manager, long seed) {
    return Gpt.initialize(this, manager, seed);
  }

  @Override
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", ModelKind.GPT.id());
    m.put("vocabulary", vocabulary);
    m.put("context", context);
    m.put("layers", layers);
    m.put("heads", heads);
    m.put("embd", embd);
    m.put("dropout", dropout);
    m.put("parameters", numParameters());
    return m;
  }

  /** Rebuilds a spec from {@link #toMap()}'s output. */
  static GptSpec fromMap(Map<String, ?> m) {
    return new GptSpec(intOf(m, "vocabulary"), intOf(m, "context"), intOf(m, "layers"),
        intOf(m, "heads"), intOf(m, "embd"), ((Number) m.get("dropout")).doubleValue());
  }

  private static int intOf(Map<String, ?> m, String key) {
    if (!(m.get(key) instanceof Number n)) {
      throw new IllegalArgumentException("gpt model description has " + key + " " + m.get(key)
          + ": expected a whole number");
    }
    return n.intValue();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GptSpec g && g.vocabulary == vocabulary && g.context == context
        && g.layers == layers && g.heads == heads && g.embd == embd && g.dropout == dropout;
  }

  @Override
  public int hashCode() {
    return ((((31 * vocabulary + context) * 31 + layers) * 31 + heads) * 31 + embd) * 31
        + Double.hashCode(dropout);
  }

  @Override
  public String toString() {
    return name() + " (context " + context + ", vocabulary " + vocabulary + ", "
        + numParameters() + " parameters" + (dropout > 0 ? ", dropout " + dropout : "") + ")";
  }
}
