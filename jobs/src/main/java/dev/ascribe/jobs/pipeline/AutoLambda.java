package dev.ascribe.jobs.pipeline;

import dev.ascribe.core.feature.FeatureMatrix;
import dev.ascribe.core.precondition.KernelPreconditioner;
import dev.ascribe.core.method.MethodSpec;
import dev.ascribe.core.precondition.Preconditioner;
import dev.ascribe.core.linalg.Kernel;
import dev.ascribe.core.select.FeatureSpectrum;
import dev.ascribe.core.select.LambdaSelection;
import dev.ascribe.core.select.LambdaSelector;
import dev.ascribe.jobs.config.Setting;
import dev.ascribe.udf.attribute.InputSources;
import dev.ascribe.udf.attribute.SparkAttribution;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code lambda=auto} in the kernel stage of {@code attribute}: featurizes the validation rows
 * (data.validation, disjoint from the queries by {@link Setting}'s check), eigendecomposes each
 * checkpoint's kernel and applies {@link LambdaSelector#DEFAULT_RULE}. The selection, with the ξ̄
 * curve and its crossings, goes into the kernel stage's provenance.
 */
final class AutoLambda {
  private AutoLambda() {}

  /** The kernels and the selection made on them. */
  record Selected(List<Kernel> kernels, LambdaSelection selection) {}

  static Selected select(SparkAttribution attribution, Dataset<Row> trainFeatures,
      Setting setting, SparkSession spark, int partitions) throws IOException {
    long start = System.nanoTime();
    List<Kernel> kernels = attribution.kernels(trainFeatures);
    List<FeatureSpectrum> spectra = new ArrayList<>();
    kernels.forEach(k -> spectra.add(FeatureSpectrum.of(k)));
    double spectrumSeconds = (System.nanoTime() - start) / 1e9;
    var validation = setting.validationData();
    List<FeatureMatrix> validationFeatures = attribution.collectQueryFeatures(
        attribution.featurize(InputSources.of(spark, validation,
            Math.min(partitions, validation.size())), true, "validation"));
    return new Selected(kernels, LambdaSelector.select(spectra, validationFeatures,
        LambdaSelector.DEFAULT_RULE, spectrumSeconds));
  }

  /** K_c⁻¹ with the selected λ_c of each checkpoint. */
  static List<Preconditioner> preconditioners(Selected selected, MethodSpec spec) {
    List<Preconditioner> out = new ArrayList<>();
    double[] lambdas = selected.selection().lambdas();
    for (int c = 0; c < lambdas.length; c++) {
      out.add(KernelPreconditioner.of(selected.kernels().get(c).factorize(lambdas[c]),
          spec.lambdaSpec()));
    }
    return out;
  }
}
