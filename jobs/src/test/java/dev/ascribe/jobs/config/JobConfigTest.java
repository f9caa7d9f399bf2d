package dev.ascribe.jobs.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ascribe.core.data.ProjectRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobConfigTest {
  private static final Path LR = ProjectRoot.find().resolve("conf/mnist-lr.conf");

  @Test
  void settingFileAndSetOverridesLayerOnTheDefaults() {
    JobConfig c = JobConfig.load(LR, List.of("train.epochs=3", "models=4",
        "train.checkpoints=[1, 3]", "models.dir=s3a://bucket/run//models"));
    assertEquals(3, c.getInt("train.epochs"));
    assertEquals(4, c.getInt("models.count"));
    assertEquals(List.of(1, 3), c.getIntList("train.checkpoints"));
    assertEquals("s3a://bucket/run//models", c.getString("models.dir"));
    assertEquals(0.9, c.getDouble("train.momentum"));
    assertTrue(c.explicitOptions().containsKey("models.count"));
    assertTrue(c.explicitOptions().containsKey("setting"), "set by the setting file");
    assertTrue(c.defaultedOptions().containsKey("topk"));
    assertFalse(c.defaultedOptions().containsKey("train.epochs"));
  }

  @Test
  void unknownSetKeyIsRejectedWithTheValidKeys() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> JobConfig.load(LR, List.of("train.epoch=3")));
    assertTrue(e.getMessage().startsWith("--set: unknown key 'train.epoch'. Valid keys: "),
        e.getMessage());
    assertTrue(e.getMessage().contains("train.epochs") && e.getMessage().contains("models"),
        e.getMessage());
  }

  @Test
  void unknownKeyInTheSettingFileIsRejected(@TempDir Path dir) throws Exception {
    Path conf = dir.resolve("bad.conf");
    Files.writeString(conf, "model { kind = lr, widht = 3 }\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> JobConfig.load(conf, List.of()));
    assertTrue(e.getMessage().contains("unknown key 'model.widht'"), e.getMessage());
    assertTrue(e.getMessage().contains(conf.toString()), e.getMessage());
  }

  @Test
  void wrongTypesAndValuesNameTheKey(@TempDir Path dir) {
    JobConfig c = JobConfig.load(LR, List.of("train.epochs=many"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> c.getInt("train.epochs"));
    assertTrue(e.getMessage().startsWith("option train.epochs given many: expected a whole number"),
        e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> JobConfig.load(LR, List.of("noequals")));
    assertThrows(IllegalArgumentException.class,
        () -> JobConfig.load(dir.resolve("missing.conf"), List.of()));
  }

  @Test
  void settingValidatesBeforeAnyWork(@TempDir Path dir) {
    assertEquals("option model.kind given cnn: expected lr or mlp",
        assertThrows(IllegalArgumentException.class, () -> Setting.of(
            JobConfig.load(LR, List.of("model.kind=cnn")), dir)).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Setting.of(
        JobConfig.load(LR, List.of("data.validation.offset=400")), dir)).getMessage()
        .contains("overlaps data.queries"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Setting.of(
        JobConfig.load(LR, List.of("train.checkpoints=[30]")), dir)).getMessage()
        .contains("checkpoints given epoch 30"));
  }
}
