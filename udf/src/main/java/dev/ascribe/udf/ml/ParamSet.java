package dev.ascribe.udf.ml;

import dev.ascribe.core.project.ProjectionKind;
import dev.ascribe.core.project.ProjectionOptions;
import dev.ascribe.core.method.Method;
import dev.ascribe.core.option.OptionSpec;
import dev.ascribe.core.linalg.LambdaSpec;
import dev.ascribe.core.task.Target;
import dev.ascribe.udf.io.Columns;
import java.io.Serializable;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;
import scala.Function1;

/**
 * The {@link AttributionParams} of one owner (an estimator or a model), with their docs,
 * validators and defaults: the one place they are defined, so that both stages declare the same
 * params and {@code copyValues} carries every one from the estimator to its model.
 */
public final class ParamSet implements Serializable {
  private static final long serialVersionUID = 1L;

  final Param<String> method;
  final Param<String> target;
  final IntParam projectionDim;
  final Param<String> projectionKind;
  final LongParam projectionSeed;
  final IntParam projectionSparsity;
  final Param<String> projectionOut;
  final Param<String> projectionIn;
  final Param<String> lambda;
  final IntParam batchSize;
  final IntParam topK;
  final Param<String> idCol;
  final Param<String> featuresCol;
  final Param<String> labelCol;
  final Param<String> modelsDir;
  final IntParam models;
  final IntParam numClasses;

  /** Creates the params owned by {@code owner}, whose uid must already be set. */
  ParamSet(Params owner) {
    method = new Param<>(owner, "method",
        "attribution method: " + String.join(", ", Method.names()),
        ParamValidators.inArray(Method.names()));
    target = new Param<>(owner, "target",
        "query-side measurement: " + Target.names(" or "),
        ParamValidators.inArray(Arrays.stream(Target.values()).map(Target::cliName).toList()));
    projectionDim = new IntParam(owner, "projectionDim", "projected gradient dimension k (>= 1)",
        ParamValidators.<Object>gtEq(1));
    projectionKind = new Param<>(owner, "projectionKind",
        "projection kind: " + String.join(", ", ProjectionKind.optionNames()),
        ParamValidators.inArray(ProjectionKind.optionNames()));
    projectionSeed = new LongParam(owner, "projectionSeed",
        "base seed of the random projections (model c derives its own)");
    projectionSparsity = new IntParam(owner, "projectionSparsity",
        "sjlt only: buckets per gradient coordinate, 1 to projectionDim",
        ParamValidators.<Object>gtEq(1));
    projectionOut = new Param<>(owner, "projectionOut", "factorized only: k_out of P_out delta"
        + " per linear layer, one value for every layer or one per layer like 16,8,10 (0 keeps"
        + " the side whole), or " + OptionSpec.AUTO + " (the rule from projectionDim)");
    projectionIn = new Param<>(owner, "projectionIn", "factorized only: k_in of P_in [a, 1],"
        + " written like projectionOut");
    lambda = new Param<>(owner, "lambda", "damping on the mean scale: " + Method.DEFAULT_LAMBDA
        + " (each method's own, as bin/ascribe attribute: " + defaultLambdas() + "; the Hessian"
        + " methods' is raised above negative curvature), auto (1x the kernel's mean non-zero"
        + " eigenvalue), a number >= 0 such as 1e-3, or a multiple of the mean eigenvalue such as"
        + " 0.3x", lambdaValid());
    batchSize = new IntParam(owner, "batchSize", "examples per gradient batch (>= 1)",
        ParamValidators.<Object>gtEq(1));
    topK = new IntParam(owner, "topK", "proponents and opponents kept per query (>= 1)",
        ParamValidators.<Object>gtEq(1));
    idCol = new Param<>(owner, "idCol", "input column with each example's unique id, type bigint",
        nonEmpty());
    featuresCol = new Param<>(owner, "featuresCol",
        "input column with each example's flattened features, type array<float>", nonEmpty());
    labelCol = new Param<>(owner, "labelCol",
        "input column with each example's class label, type int in [0, numClasses)", nonEmpty());
    modelsDir = new Param<>(owner, "modelsDir",
        "a run folder's models/ directory written by bin/ascribe train (required)", nonEmpty());
    models = new IntParam(owner, "models", "how many trained models to use: m0 .. m<models-1>"
        + " (their final epochs; tracin: every listed checkpoint) (>= 1)", ParamValidators.<Object>gtEq(1));
    numClasses = new IntParam(owner, "numClasses",
        "number of classes the models predict (>= 2)", ParamValidators.<Object>gtEq(2));
  }

  /**
   * Sets the defaults on {@code owner}, once its accessors return these params (Spark looks the
   * params up through them when a default is set).
   */
  void setDefaults(Params owner) {
    owner.setDefault(method, Method.TRAK.cliName());
    owner.setDefault(target, Target.MARGIN.cliName());
    owner.setDefault(projectionDim, 512);
    owner.setDefault(projectionKind, ProjectionOptions.DEFAULT_KIND.optionName());
    owner.setDefault(projectionSeed, 0L);
    owner.setDefault(projectionSparsity, ProjectionOptions.DEFAULT_SPARSITY);
    owner.setDefault(projectionOut, OptionSpec.AUTO);
    owner.setDefault(projectionIn, OptionSpec.AUTO);
    owner.setDefault(lambda, Method.DEFAULT_LAMBDA);
    owner.setDefault(batchSize, 128);
    owner.setDefault(topK, 10);
    owner.setDefault(idCol, Columns.ID);
    owner.setDefault(featuresCol, Columns.FEATURES);
    owner.setDefault(labelCol, Columns.LABEL);
    owner.setDefault(models, 1);
    owner.setDefault(numClasses, 10);
  }

  /** Each method's default λ, from the registry: "trak auto, grad-dot 0, ...". */
  private static String defaultLambdas() {
    return Arrays.stream(Method.values()).map(m -> m.cliName() + " " + m.defaultLambda())
        .collect(Collectors.joining(", "));
  }

  /** Accepts {@code default} and what {@link LambdaSpec#parse} accepts. */
  private static Function1<String, Object> lambdaValid() {
    return (Function1<String, Object> & Serializable) s -> {
      if (Method.DEFAULT_LAMBDA.equals(s)) {
        return true;
      }
      try {
        LambdaSpec.parse(s);
        return true;
      } catch (IllegalArgumentException e) {
        return false; // a validator answers; Spark's message names the param and the value
      }
    };
  }

  private static Function1<String, Object> nonEmpty() {
    return (Function1<String, Object> & Serializable) s -> s != null && !s.isEmpty();
  }
}
