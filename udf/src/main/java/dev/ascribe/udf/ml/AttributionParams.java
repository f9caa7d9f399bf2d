package dev.ascribe.udf.ml;

import dev.ascribe.core.method.MethodSpec;
import dev.ascribe.core.option.OptionSpec;
import dev.ascribe.core.project.ProjectionKind;
import dev.ascribe.core.project.ProjectionOptions;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * The params of {@link AttributionEstimator} and {@link AttributionModel} (Spark ML's shared
 * params trait, in Java): each param's accessor, and a typed getter that returns the value set or
 * the default. {@link #explainParams()} lists them with their docs, defaults and values.
 */
public interface AttributionParams extends Params {
  /** The param definitions of this stage (one instance per stage, owned by it). */
  ParamSet paramSet();

  /** One of the method registry's names ({@link dev.ascribe.core.method.Method}); default trak. */
  default Param<String> method() {
    return paramSet().method;
  }

  /** Query-side measurement: "margin" (TRAK's, default) or "neg-loss" (dattri's). */
  default Param<String> target() {
    return paramSet().target;
  }

  /** k, the projected gradient dimension; default 512, must be >= 1. */
  default IntParam projectionDim() {
    return paramSet().projectionDim;
  }

  /** Projection kind: "gaussian" (default), "rademacher", "sjlt" or "factorized". */
  default Param<String> projectionKind() {
    return paramSet().projectionKind;
  }

  /** Base projection seed (model c derives its own from it); default 0. */
  default LongParam projectionSeed() {
    return paramSet().projectionSeed;
  }

  /** sjlt only: buckets per gradient coordinate; default 1. */
  default IntParam projectionSparsity() {
    return paramSet().projectionSparsity;
  }

  /** factorized only: k_out per linear layer ("16" or "16,8,10"); default "auto". */
  default Param<String> projectionOut() {
    return paramSet().projectionOut;
  }

  /** factorized only: k_in per linear layer, written like projectionOut; default "auto". */
  default Param<String> projectionIn() {
    return paramSet().projectionIn;
  }

  /**
   * λ on the mean scale: "default" (the default: each method's own from the registry, auto for
   * TRAK as in memory and on the command line), "auto", an absolute value such as "1e-3", or a
   * multiple of the kernel's mean non-zero eigenvalue such as "0.3x". Methods without a kernel or
   * Hessian ignore it.
   */
  default Param<String> lambda() {
    return paramSet().lambda;
  }

  /** Examples per gradient batch; default 128, must be >= 1. */
  default IntParam batchSize() {
    return paramSet().batchSize;
  }

  /** Proponents and opponents kept per query; default 10, must be >= 1. */
  default IntParam topK() {
    return paramSet().topK;
  }

  /** Input column of example ids, bigint, unique; default "id". */
  default Param<String> idCol() {
    return paramSet().idCol;
  }

  /** Input column of flattened features, array&lt;float&gt;; default "features". */
  default Param<String> featuresCol() {
    return paramSet().featuresCol;
  }

  /** Input column of class labels, int in [0, numClasses); default "label". */
  default Param<String> labelCol() {
    return paramSet().labelCol;
  }

  /** A run folder's models/ directory written by {@code bin/ascribe train}; required. */
  default Param<String> modelsDir() {
    return paramSet().modelsDir;
  }

  /** How many trained models to use (m0 .. m{models-1}, final epoch each); default 1. */
  default IntParam models() {
    return paramSet().models;
  }

  /** Number of classes the models predict; default 10; must match the stored models. */
  default IntParam numClasses() {
    return paramSet().numClasses;
  }

  default String getMethod() {
    return getOrDefault(method());
  }

  default String getTarget() {
    return getOrDefault(target());
  }

  default int getProjectionDim() {
    return (Integer) getOrDefault(projectionDim());
  }

  default String getProjectionKind() {
    return getOrDefault(projectionKind());
  }

  default long getProjectionSeed() {
    return (Long) getOrDefault(projectionSeed());
  }

  default int getProjectionSparsity() {
    return (Integer) getOrDefault(projectionSparsity());
  }

  default String getProjectionOut() {
    return getOrDefault(projectionOut());
  }

  default String getProjectionIn() {
    return getOrDefault(projectionIn());
  }

  default String getLambda() {
    return getOrDefault(lambda());
  }

  default int getBatchSize() {
    return (Integer) getOrDefault(batchSize());
  }

  default int getTopK() {
    return (Integer) getOrDefault(topK());
  }

  default String getIdCol() {
    return getOrDefault(idCol());
  }

  default String getFeaturesCol() {
    return getOrDefault(featuresCol());
  }

  default String getLabelCol() {
    return getOrDefault(labelCol());
  }

  /** The models directory, or null while it is not set. */
  default String getModelsDir() {
    return isDefined(modelsDir()) ? getOrDefault(modelsDir()) : null;
  }

  default int getModels() {
    return (Integer) getOrDefault(models());
  }

  default int getNumClasses() {
    return (Integer) getOrDefault(numClasses());
  }

  /**
   * The method and its options as core's plain value, which the estimator fits with.
   *
   * @throws IllegalArgumentException if the values break a rule that spans params
   */
  default MethodSpec methodSpec() {
    MethodSpec spec = new MethodSpec(getMethod(), getTarget(), getProjectionDim(),
        ProjectionKind.fromName(getProjectionKind()),
        getProjectionSeed(), getLambda(), getBatchSize());
    if (getProjectionSparsity() != ProjectionOptions.DEFAULT_SPARSITY) {
      spec = spec.withProjectionSparsity(getProjectionSparsity());
    }
    return OptionSpec.AUTO.equals(getProjectionOut()) && OptionSpec.AUTO.equals(getProjectionIn())
        ? spec : spec.withProjectionSides(getProjectionOut(), getProjectionIn());
  }
}
