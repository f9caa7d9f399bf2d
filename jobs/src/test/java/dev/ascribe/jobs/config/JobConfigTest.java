package dev.ascribe.jobs.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.ascribe.core.data.ProjectRoot;
import dev.ascribe.core.linalg.LambdaSpec;
import dev.ascribe.core.method.Method;
import dev.ascribe.core.method.MethodSpec;
import dev.ascribe.core.method.RpsOptions;
import dev.ascribe.core.method.TrakOptions;
import dev.ascribe.core.option.OptionSpec;
import dev.ascribe.core.project.ProjectionKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
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
  void unknownSetKeyIsRejectedWithTheNearestValidKeys() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> JobConfig.load(LR, List.of("train.epoch=3")));
    assertEquals("--set: unknown key 'train.epoch': did you mean train.epochs? (every option and"
        + " its default: README, Options)", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> JobConfig.load(LR, List.of("dim=3")));
    assertTrue(e.getMessage().startsWith("--set: unknown key 'dim': did you mean "), e.getMessage());
    assertTrue(e.getMessage().contains("projection.dim"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> JobConfig.load(LR, List.of("train.zzzzzzzzzz=3")));
    assertTrue(e.getMessage().startsWith("--set: unknown key 'train.zzzzzzzzzz': the keys of that"
        + " section are train.batch, train.checkpoints, "), e.getMessage());
  }

  @Test
  void aBadSetValueIsBlamedOnSetAndABadFileValueOnTheFileLine(@TempDir Path dir)
      throws Exception {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> JobConfig.load(LR, List.of("train.epochs=many")).getInt("train.epochs"));
    assertEquals("option train.epochs given many: expected a whole number (--set train.epochs)",
        e.getMessage());
    Path conf = dir.resolve("bad.conf");
    Files.writeString(conf, "setting = x\ntrain { epochs = lots }\n");
    e = assertThrows(IllegalArgumentException.class,
        () -> JobConfig.load(conf, List.of()).getInt("train.epochs"));
    assertTrue(e.getMessage().startsWith("option train.epochs given lots: expected a whole number ("
        + conf), e.getMessage());
    assertTrue(e.getMessage().contains(": 2)"), "the line: " + e.getMessage());
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
    assertEquals("option model.kind given cnn: expected lr, mlp, torchscript or gpt",
        assertThrows(IllegalArgumentException.class, () -> Setting.of(
            JobConfig.load(LR, List.of("model.kind=cnn")), dir)).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Setting.of(
        JobConfig.load(LR, List.of("data.validation.offset=400")), dir)).getMessage()
        .contains("overlaps data.queries"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Setting.of(
        JobConfig.load(LR, List.of("train.checkpoints=[30]")), dir)).getMessage()
        .contains("checkpoints given epoch 30"));
  }

  @Test
  void theShakespeareSettingIsACharacterGptOnDisjointWindows(@TempDir Path dir) {
    Setting s = Setting.of(JobConfig.load(ProjectRoot.find().resolve(
        "conf/shakespeare-gpt.conf"), List.of()), dir);
    assertEquals("gpt-l2-h4-e64", s.spec().name());
    assertEquals(110_529, s.spec().numParameters());
    assertEquals(33, s.spec().inputDim());
    assertEquals(65, s.spec().numClasses());
    assertEquals("neg-loss", JobConfig.load(ProjectRoot.find().resolve(
        "conf/shakespeare-gpt.conf"), List.of()).getString("target"));
    assertEquals("option model.heads given 3: must divide model.embd (64)",
        assertThrows(IllegalArgumentException.class, () -> Setting.of(JobConfig.load(
            ProjectRoot.find().resolve("conf/shakespeare-gpt.conf"), List.of("model.heads=3")),
            dir)).getMessage());
  }

  @Test
  void projectionKindIsOneOfTheRegisteredKinds() {
    assertEquals(dev.ascribe.core.project.ProjectionKind.RADEMACHER, Methods.spec(
        JobConfig.load(LR, List.of("projection.kind=Rademacher"))).projectionKind());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Methods.spec(JobConfig.load(LR, List.of("projection.kind=dense"))));
    assertTrue(e.getMessage().contains("projection.kind given dense")
        && e.getMessage().contains("expected one of gaussian, rademacher, sjlt, factorized"),
        e.getMessage());
    assertEquals("16,8", Methods.spec(JobConfig.load(LR, List.of("projection.kind=factorized",
        "projection.out=16,8"))).projectionOut());
    e = assertThrows(IllegalArgumentException.class, () -> Methods.spec(JobConfig.load(LR,
        List.of("projection.in=8"))));
    assertTrue(e.getMessage().contains("option projection.in given 8 with projection.kind"
        + " sjlt: only factorized has side dimensions"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Methods.spec(JobConfig.load(LR,
        List.of("projection.kind=gaussian", "projection.sparsity=2"))));
    assertTrue(e.getMessage().contains("option projection.sparsity given 2 with projection.kind"
        + " gaussian: only sjlt has a sparsity"), e.getMessage());
    assertEquals(4, Methods.spec(JobConfig.load(LR, List.of("projection.sparsity=4")))
        .projectionSparsity());
  }

  @Test
  void methodOptionsAndTheirDefaultsComeFromTheRegistry() {
    JobConfig c = JobConfig.load(LR, List.of("rps.lambda=0.01", "logra.in=64,32"));
    for (Method m : Method.values()) {
      Map<String, String> section = c.section(m.cliName());
      assertEquals(m.options().stream().map(OptionSpec::name).collect(Collectors.toSet()),
          section.keySet(), m.cliName());
      for (OptionSpec o : m.options()) {
        String key = m.cliName() + "." + o.name();
        if (!key.equals("rps.lambda") && !key.equals("logra.in")) {
          assertTrue(c.defaultedOptions().containsKey(key), key);
          // As the reference file would have written the default (1e-6 reads back as 1.0E-6).
          assertEquals(String.valueOf(ConfigFactory.parseString("v = " + o.defaultValue())
              .getValue("v").unwrapped()), section.get(o.name()), key);
        }
      }
    }
    assertEquals(Map.of("rps.lambda", "0.01", "logra.in", "64,32"), Map.of(
        "rps.lambda", c.explicitOptions().get("rps.lambda"),
        "logra.in", c.explicitOptions().get("logra.in")));
    MethodSpec rps = new MethodSpec("rps", "margin", 0, ProjectionKind.GAUSSIAN, 0, "default", 8,
        c.section("rps"));
    assertEquals(new RpsOptions(0.01, 1e-5, 5000), rps.rpsOptions());
    assertEquals(Map.of("curvature", "auto", "iterations", "100", "tolerance", "1.0E-6"),
        c.section("if-cg"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> JobConfig.load(LR, List.of("if-cg.iteratons=3")));
    assertTrue(e.getMessage().contains("unknown key 'if-cg.iteratons'")
        && e.getMessage().contains("if-cg.iterations"), e.getMessage());
  }

  @Test
  void trakDefaultLambdaOnTheCommandLineIsTheInMemoryOne() {
    MethodSpec spec = Methods.spec(JobConfig.load(null, List.of()));
    assertEquals("trak", spec.method());
    assertEquals(TrakOptions.builder().build().lambda(), spec.lambdaSpec());
    assertEquals(LambdaSpec.auto(), spec.lambdaSpec());
  }

  @Test
  void partitionsZeroKeepsTwiceTheParallelismUntilThereAreMoreThan20000RowsPerPartition() {
    assertEquals(4, Setting.defaultPartitions(2, 5_000));
    assertEquals(4, Setting.defaultPartitions(2, 80_000));
    assertEquals(5, Setting.defaultPartitions(2, 80_001));
    assertEquals(50, Setting.defaultPartitions(2, 1_000_000));
    assertEquals(200, Setting.defaultPartitions(100, 1_000_000));
  }
}
