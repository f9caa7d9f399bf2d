package dev.ascribe.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The model registry and the feed-forward spec's layout, taps and model.json description. */
class ModelKindTest {
  /** The options of a model section, as a configuration would give them. */
  private static ModelSection section(List<Integer> hidden, double dropout) {
    return new ModelSection() {
      @Override
      public List<Integer> intList(String key) {
        assertEquals("hidden", key);
        return hidden;
      }

      @Override
      public String string(String key) {
        throw new AssertionError("feed-forward kinds read no string option, asked for " + key);
      }

      @Override
      public double number(String key) {
        assertEquals("dropout", key);
        return dropout;
      }

      @Override
      public IllegalArgumentException invalid(String key, String expected) {
        return new IllegalArgumentException("option model." + key + ": " + expected);
      }
    };
  }

  @Test
  void kindsAreParsedFromTheirSection() {
    assertEquals(FeedForwardSpec.logisticRegression(784, 10),
        ModelKind.of("lr").parse(section(List.of(), 0.5), 784, 10));
    assertEquals(FeedForwardSpec.mlp(784, new int[] {128, 64}, 10, 0.1),
        ModelKind.of("mlp").parse(section(List.of(128, 64), 0.1), 784, 10));
    assertEquals("option model.hidden: must be [] for model.kind lr",
        assertThrows(IllegalArgumentException.class,
            () -> ModelKind.LR.parse(section(List.of(8), 0), 784, 10)).getMessage());
    assertEquals("model kind given cnn: expected lr, mlp, torchscript, resnet9 or gpt",
        assertThrows(IllegalArgumentException.class, () -> ModelKind.of("cnn")).getMessage());
  }

  @Test
  void resnet9IsParsedFromItsChannelsAndRefusesBadWidths() {
    ModelSection resnet = new ModelSection() {
      @Override
      public List<Integer> intList(String key) {
        return key.equals("channels") ? List.of(4, 8, 16, 32) : List.of();
      }

      @Override
      public String string(String key) {
        throw new AssertionError("resnet9 reads no string option, asked for " + key);
      }

      @Override
      public double number(String key) {
        assertEquals("dropout", key);
        return 0.1;
      }

      @Override
      public IllegalArgumentException invalid(String key, String expected) {
        return new IllegalArgumentException("option model." + key + ": " + expected);
      }
    };
    ModelSpec spec = ModelKind.of("resnet9").parse(resnet, 3072, 2);
    assertEquals(ResNet9Spec.of(3072, new int[] {4, 8, 16, 32}, 2, 0.1), spec);
    assertEquals(19334, spec.numParameters());
    assertEquals("resnet9-4-8-16-32", spec.name());
    assertEquals("option model.hidden: must be [] for model.kind resnet9: set model.channels",
        assertThrows(IllegalArgumentException.class,
            () -> ModelKind.RESNET9.parse(section(List.of(8), 0), 3072, 2)).getMessage());
  }

  @Test
  void modelJsonAsWrittenBeforeIsReadBackAndWrittenTheSameWay() {
    // What Gson hands back from model.json: every number a double, lists of doubles.
    Map<String, Object> written = new LinkedHashMap<>();
    written.put("kind", "mlp");
    written.put("input_dim", 784.0);
    written.put("hidden", List.of(128.0, 64.0));
    written.put("classes", 10.0);
    written.put("dropout", 0.1);
    written.put("parameters", 109386.0);
    ModelSpec spec = ModelKind.fromMap(written);
    assertEquals(FeedForwardSpec.mlp(784, new int[] {128, 64}, 10, 0.1), spec);
    assertEquals(List.of("kind", "input_dim", "hidden", "classes", "dropout", "parameters"),
        List.copyOf(spec.toMap().keySet()));
    assertEquals(109386, spec.toMap().get("parameters"));
    ModelSpec lr = FeedForwardSpec.logisticRegression(5, 3);
    assertEquals(lr, ModelKind.fromMap(lr.toMap()));
    assertEquals(ModelKind.LR, lr.kind());
    assertThrows(IllegalArgumentException.class, () -> ModelKind.fromMap(Map.of("kind", "gpt")));
  }

  @Test
  void layoutTilesTheFlatVectorAndEveryLinearLayerIsTapped() {
    FeedForwardSpec spec = FeedForwardSpec.mlp(784, new int[] {128}, 10, 0);
    List<ParameterBlock> layout = spec.layout();
    assertEquals("linear0.weight (128, 784) at 0", layout.get(0).toString());
    assertEquals("linear0.bias (128) at 100352", layout.get(1).toString());
    assertEquals("linear1.weight (10, 128) at 100480", layout.get(2).toString());
    int end = 0;
    for (ParameterBlock b : layout) {
      assertEquals(end, b.offset(), b.toString());
      end = b.end();
    }
    assertEquals(spec.numParameters(), end);
    List<TappedLayer> taps = spec.tappedLayers();
    assertEquals(List.of(new TappedLayer(0, 784, 128, 0, 100352),
        new TappedLayer(1, 128, 10, 100480, 101760)), taps);
    assertTrue(spec.tapsCoverParameters());
  }
}
