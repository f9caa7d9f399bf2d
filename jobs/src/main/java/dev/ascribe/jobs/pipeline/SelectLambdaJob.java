package dev.ascribe.jobs.pipeline;

import com.google.gson.GsonBuilder;
import dev.ascribe.core.model.Checkpoint;
import dev.ascribe.core.method.MethodSpec;
import dev.ascribe.core.linalg.Kernel;
import dev.ascribe.core.linalg.LambdaSpec;
import dev.ascribe.core.linalg.Lapack;
import dev.ascribe.core.model.ModelStore;
import dev.ascribe.core.provenance.Provenance;
import dev.ascribe.core.select.FeatureSpectrum;
import dev.ascribe.core.select.LambdaSelection;
import dev.ascribe.core.select.LambdaSelector;
import dev.ascribe.jobs.config.JobConfig;
import dev.ascribe.jobs.config.Methods;
import dev.ascribe.jobs.config.Setting;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code select-lambda}: retraining-free λ (DESIGN.md) from the full-data model(s) only. Featurizes
 * the training and validation rows in this JVM, eigendecomposes each model's kernel once, and
 * writes {@code select-lambda/selection.json} with λ*, the ξ̄ curve with every crossing, every
 * rule's λ and the time taken (featurization and selection apart).
 */
public final class SelectLambdaJob {
  private SelectLambdaJob() {}

  /** Runs the selection; returns what was written. */
  public static Map<String, Object> run(JobConfig config, Setting setting, RunFolder run)
      throws IOException {
    MethodSpec spec = Methods.spec(config);
    if (!spec.recipe().kernel()) {
      throw config.invalid("method", "select-lambda needs a method with a kernel (trak, if-fim)");
    }
    ModelStore store = new ModelStore(modelsDir(config, run));
    List<Checkpoint> checkpoints = InProcessFeatures.checkpoints(store, setting.models(), 0);
    InProcessFeatures features = InProcessFeatures.of(spec, checkpoints, setting.trainData(),
        null, setting.validationData());
    Lapack.threads(); // loads OpenBLAS now, so that library loading is not timed as selection
    // The kernel on the smaller side of Φ, per model: what attribute's kernel stage computes too.
    long kernelStart = System.nanoTime();
    List<Kernel> kernels = features.train().stream().map(FeatureSpectrum::smallerKernel).toList();
    double kernelSeconds = (System.nanoTime() - kernelStart) / 1e9;
    // λ* by the validated rule alone: only each kernel's mean non-zero eigenvalue (trace/rank,
    // rank certified by one Cholesky factorization when it is full).
    long ruleStart = System.nanoTime();
    double[] auto = kernels.stream().mapToDouble(LambdaSpec.auto()::resolve).toArray();
    double ruleSeconds = (System.nanoTime() - ruleStart) / 1e9;
    long start = System.nanoTime();
    List<FeatureSpectrum> spectra = new ArrayList<>();
    for (int c = 0; c < kernels.size(); c++) {
      spectra.add(FeatureSpectrum.of(features.train().get(c), kernels.get(c)));
    }
    double spectrumSeconds = (System.nanoTime() - start) / 1e9;
    LambdaSelection selection = LambdaSelector.select(spectra, features.validation(),
        LambdaSelector.DEFAULT_RULE, spectrumSeconds);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("setting", setting.name());
    out.put("method", spec.method());
    out.put("projection.dim", spec.projectionDim());
    out.put("models", checkpoints.size());
    out.put("spectrum_form", spectra.get(0).form().name().toLowerCase(java.util.Locale.ROOT));
    out.put("selection", selection.toMap());
    Map<String, Object> seconds = new LinkedHashMap<>();
    seconds.put("featurize", features.seconds());
    seconds.put("kernel", kernelSeconds);
    seconds.put("auto_lambda", ruleSeconds);
    seconds.put("eigendecomposition", spectrumSeconds);
    seconds.put("select", selection.seconds());
    // Beyond featurization: λ* alone needs the kernel and its rank; the whole selection (ξ̄
    // curve, crossings, every rule) needs the kernel and its eigendecomposition.
    seconds.put("auto_over_featurize", (kernelSeconds + ruleSeconds) / features.seconds());
    seconds.put("select_over_featurize",
        (kernelSeconds + selection.seconds()) / features.seconds());
    out.put("auto_lambda", auto);
    out.put("seconds", seconds);
    Path dir = run.root().local().resolve("select-lambda");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("selection.json"), new GsonBuilder().setPrettyPrinting()
        .serializeSpecialFloatingPointValues().create().toJson(out), StandardCharsets.UTF_8);
    Provenance.start("select-lambda").put("setting", setting.name())
        .put("method", spec.method()).put("seed", setting.seed())
        .options(config.explicitOptions(), config.defaultedOptions())
        .input("models", store.dir().toString(), checkpoints.size())
        .input("validation", setting.validationData().name(), setting.validationData().size())
        .result("selection", selection.toMap()).result("seconds", seconds).write(dir);
    return out;
  }

  /** models.dir, or the run folder's own models. */
  static Path modelsDir(JobConfig config, RunFolder run) {
    String dir = config.getString("models.dir");
    return dir.isEmpty() ? run.models().local() : Path.of(dir).toAbsolutePath();
  }
}
