package dev.ascribe.jobs.pipeline;

import dev.ascribe.core.feature.FeatureMatrix;
import dev.ascribe.core.linalg.Factorized;
import dev.ascribe.core.precondition.KernelPreconditioner;
import dev.ascribe.core.precondition.SpectralPreconditioner;
import dev.ascribe.core.precondition.Preconditioner;
import dev.ascribe.core.select.FeatureSpectrum;
import dev.ascribe.core.select.LambdaSelection;
import dev.ascribe.core.select.LambdaSelector;
import dev.ascribe.jobs.config.Setting;
import dev.ascribe.udf.attribute.InputSources;
import dev.ascribe.udf.attribute.SparkAttribution;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * The provenance of {@code lambda=auto} in the kernel stage of {@code attribute}: λ itself is
 * resolved where every path resolves it ({@link dev.ascribe.core.linalg.LambdaSpec#resolve}, in
 * the attributor's preconditioner); beside it, this featurizes the validation rows (data.validation,
 * disjoint from the queries by {@link Setting}'s check) and records the ξ̄ curve, its crossings and
 * every candidate rule on the fitted kernels ({@link LambdaSelector#report}).
 */
final class LambdaReport {
  private LambdaReport() {}

  /** @param kernels the fitted kernel preconditioners (factored or spectral), one per checkpoint */
  static LambdaSelection of(SparkAttribution attribution, List<Preconditioner> kernels,
      Setting setting, SparkSession spark, int partitions) throws IOException {
    long start = System.nanoTime();
    List<FeatureSpectrum> spectra = new ArrayList<>();
    double[] lambdas = new double[kernels.size()];
    for (int c = 0; c < kernels.size(); c++) {
      if (kernels.get(c) instanceof SpectralPreconditioner dual) {
        spectra.add(dual.spectrum());
        lambdas[c] = dual.lambda();
        continue;
      }
      Factorized f = ((KernelPreconditioner) kernels.get(c)).factorized();
      // After the factorization: λ was resolved on the kernel as the in-memory path resolves it.
      spectra.add(FeatureSpectrum.of(f.kernel()));
      lambdas[c] = f.lambda();
    }
    double spectrumSeconds = (System.nanoTime() - start) / 1e9;
    var validation = setting.validationData();
    List<FeatureMatrix> validationFeatures = attribution.collectQueryFeatures(
        attribution.featurize(InputSources.of(spark, validation,
            Math.min(partitions, validation.size())), true, "validation"));
    return LambdaSelector.report(spectra, validationFeatures,
        attribution.attributor().lambda().toString(), lambdas, spectrumSeconds);
  }
}
