package dev.ascribe.jobs.pipeline;

import dev.ascribe.core.model.Checkpoint;
import dev.ascribe.core.method.MethodSpec;
import dev.ascribe.core.score.ScoreMatrix;
import dev.ascribe.core.metric.Lds;
import dev.ascribe.core.model.ModelStore;
import dev.ascribe.core.project.ProjectionKind;
import dev.ascribe.core.select.CrossingScan;
import dev.ascribe.core.select.FeatureSpectrum;
import dev.ascribe.core.select.LambdaRule;
import dev.ascribe.core.select.LambdaSelector;
import dev.ascribe.core.select.SpectralScores;
import dev.ascribe.core.select.XiCurve;
import dev.ascribe.jobs.config.JobConfig;
import dev.ascribe.jobs.config.Methods;
import dev.ascribe.jobs.config.Setting;
import dev.ascribe.udf.io.GroundTruth;
import dev.ascribe.udf.io.Tables;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code sweep}: LDS over a grid of λ (multiples of each model's mean non-zero eigenvalue) and at
 * most one more hyperparameter (projection.dim, projection.kind, epoch, models.count), plus LDS at
 * every candidate {@link LambdaRule}'s λ and its ratio to the best grid LDS. Features are computed
 * once per projection dim, kind and epoch (in this JVM), each model's kernel is eigendecomposed once, and each λ
 * then costs one diagonal scaling and the inner products ({@link SpectralScores}); the ground truth
 * is read once. Tables and plots are written by {@link SweepReport}.
 */
public final class SweepJob {
  private static final Logger LOG = LoggerFactory.getLogger(SweepJob.class);
  /** The 13-point grid 10⁻³..10³ x the mean eigenvalue, half decades. */
  public static final double[] DEFAULT_GRID = CrossingScan.logGrid(1e-3, 1e3, 2);
  /** Hyperparameters a sweep can vary besides λ. */
  public static final List<String> OTHER_AXES = List.of("projection.dim", "projection.kind",
      "epoch", "models.count");
  /** The axis whose values are names (projection kinds); the others take whole numbers. */
  static final String KIND_AXIS = "projection.kind";

  private SweepJob() {}

  /**
   * One point of the sweep.
   *
   * @param other the value of the second hyperparameter as written ("0" when there is none): a
   *     whole number, or a kind's option name for projection.kind
   * @param label "grid", "zero" or a rule name
   * @param multiple λ as a multiple of the mean eigenvalue (mean over checkpoints)
   * @param lds mean LDS over queries
   * @param stderr its standard error
   * @param xi ξ̄ at this λ (NaN for λ = 0)
   */
  public record Point(String other, String label, double multiple, double lds, double stderr,
      double xi) {}

  /** The parsed grid: λ multiples and the other axis (name null when there is none). */
  public record Grid(double[] lambdas, String otherName, List<String> otherValues) {
    /** Parses {@code key=v1,v2,...} entries; λ defaults to {@link #DEFAULT_GRID}. */
    public static Grid parse(List<String> over) {
      double[] lambdas = DEFAULT_GRID.clone();
      String name = null;
      List<String> values = List.of("0");
      for (String entry : over) {
        int eq = entry.indexOf('=');
        String key = eq < 0 ? entry : entry.substring(0, eq).strip();
        String[] items = eq < 0 ? new String[0] : entry.substring(eq + 1).split(",");
        if (items.length == 0 || items[0].isBlank()) {
          throw new IllegalArgumentException("--over given '" + entry + "': expected KEY=V1,V2,..."
              + " with KEY lambda or one of " + OTHER_AXES);
        }
        if (key.equals("lambda")) {
          lambdas = new double[items.length];
          for (int i = 0; i < items.length; i++) {
            String v = items[i].strip().replaceAll("x$", "");
            lambdas[i] = parse(entry, v);
          }
        } else if (OTHER_AXES.contains(key) && name == null) {
          name = key;
          values = new ArrayList<>();
          for (String v : items) {
            values.add(key.equals(KIND_AXIS) ? kind(entry, v.strip())
                : String.valueOf((int) parse(entry, v.strip())));
          }
        } else {
          throw new IllegalArgumentException("--over given '" + entry + "': expected lambda and"
              + " at most one of " + OTHER_AXES);
        }
      }
      return new Grid(lambdas, name, values);
    }

    private static String kind(String entry, String v) {
      try {
        return ProjectionKind.fromName(v).optionName();
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--over given '" + entry + "': " + e.getMessage(), e);
      }
    }

    private static double parse(String entry, String v) {
      try {
        double d = Double.parseDouble(v);
        if (d >= 0) {
          return d;
        }
      } catch (NumberFormatException e) {
        // Reported below with the whole entry.
      }
      throw new IllegalArgumentException("--over given '" + entry + "': value '" + v
          + "' is not a number >= 0 (lambda values are multiples of the mean eigenvalue)");
    }
  }

  /** Runs the sweep and writes its report under {@code run}/sweep. */
  public static List<Point> run(JobConfig config, Setting setting, RunFolder run,
      RunFolder groundTruth, SparkSession spark, Grid grid) throws IOException {
    MethodSpec base = Methods.spec(config);
    if (!base.recipe().kernel()) {
      throw config.invalid("method", "sweep varies λ: needs a method with a kernel (trak, if-fim)");
    }
    GroundTruth truth = Tables.readGroundTruth(spark, groundTruth.groundTruth().toString());
    ModelStore store = new ModelStore(SelectLambdaJob.modelsDir(config, run));
    var train = setting.trainData();
    var queries = setting.queryData();
    var validation = setting.validationData();
    boolean byModels = "models.count".equals(grid.otherName());
    int maxModels = byModels ? grid.otherValues().stream().mapToInt(Integer::parseInt).max()
        .getAsInt() : setting.models();
    Map<String, InProcessFeatures> features = new HashMap<>();
    Map<String, List<FeatureSpectrum>> spectra = new HashMap<>();
    List<Point> points = new ArrayList<>();
    Map<String, Object> timing = new LinkedHashMap<>();
    for (String other : grid.otherValues()) {
      int dim = "projection.dim".equals(grid.otherName()) ? Integer.parseInt(other)
          : base.projectionDim();
      ProjectionKind kind = KIND_AXIS.equals(grid.otherName()) ? ProjectionKind.fromName(other)
          : base.projectionKind();
      int epoch = "epoch".equals(grid.otherName()) ? Integer.parseInt(other) : 0;
      int models = byModels ? Integer.parseInt(other) : setting.models();
      MethodSpec spec = base.withProjection(dim, kind);
      String key = dim + "/" + kind.optionName() + "/" + epoch;
      List<Checkpoint> checkpoints = InProcessFeatures.checkpoints(store, maxModels, epoch);
      InProcessFeatures all = features.computeIfAbsent(key,
          k -> InProcessFeatures.of(spec, checkpoints, train, queries, validation));
      long t = System.nanoTime();
      List<FeatureSpectrum> allSpectra = spectra.computeIfAbsent(key,
          k -> all.train().stream().map(FeatureSpectrum::of).toList());
      timing.put(key, Map.of("featurize", all.seconds(),
          "eigendecomposition", (System.nanoTime() - t) / 1e9));
      InProcessFeatures f = all.first(models);
      List<FeatureSpectrum> s = allSpectra.subList(0, models);
      var attributor = spec.create(checkpoints.subList(0, models), 1);
      SpectralScores scores = new SpectralScores(attributor.recipe().weight(),
          attributor.coefficients(), f.train(), s, f.queries());
      XiCurve xi = new XiCurve(s, f.validation());
      LdsOf lds = new LdsOf(truth, config.getString("target"));
      // λ = 0 always: the untuned baseline (TRAK's own default).
      double[] lambdas = java.util.stream.DoubleStream.concat(java.util.stream.DoubleStream.of(0),
          java.util.Arrays.stream(grid.lambdas()).filter(v -> v > 0)).toArray();
      for (double m : lambdas) {
        Lds.Result r = lds.of(m == 0 ? scores.at(new double[models]) : scores.atMultiple(m));
        points.add(new Point(other, m == 0 ? "zero" : "grid", m, r.summary().mean(),
            r.summary().stdError(), m == 0 ? Double.NaN : xi.at(m)));
      }
      for (LambdaRule rule : LambdaRule.CANDIDATES) {
        double[] ruleLambdas = rule.lambdas(s, xi);
        double multiple = 0;
        for (int c = 0; c < models; c++) {
          multiple += ruleLambdas[c] / s.get(c).meanEigenvalue() / models;
        }
        Lds.Result r = lds.of(scores.at(ruleLambdas));
        points.add(new Point(other, rule.name(), multiple, r.summary().mean(),
            r.summary().stdError(), xi.at(multiple)));
      }
      LOG.info("sweep: {} = {} done", grid.otherName() == null ? "-" : grid.otherName(), other);
    }
    SweepReport.write(run.root().local().resolve("sweep"), config, setting, grid, points, timing,
        LambdaSelector.DEFAULT_RULE.name());
    return points;
  }

  /** LDS of score matrices against one ground truth, its subsets matched by example id. */
  private static final class LdsOf {
    private final GroundTruth truth;
    private final double[][] values;

    LdsOf(GroundTruth truth, String target) {
      this.truth = truth;
      this.values = target.equals("margin") ? truth.margin() : truth.logp();
    }

    Lds.Result of(ScoreMatrix scores) {
      Map<Long, Integer> row = new HashMap<>();
      for (int i = 0; i < scores.numTrain(); i++) {
        row.put(scores.trainId(i), i);
      }
      Map<Long, Integer> column = new HashMap<>();
      for (int q = 0; q < scores.numQueries(); q++) {
        column.put(scores.queryId(q), q);
      }
      int m = scores.numQueries();
      int models = truth.modelIds().length;
      double[][] y = new double[models][m];
      int[][] subsets = new int[models][];
      for (int j = 0; j < models; j++) {
        for (int q = 0; q < truth.queryIds().length; q++) {
          Integer col = column.get(truth.queryIds()[q]);
          if (col != null) {
            y[j][col] = values[j][q];
          }
        }
        long[] ids = truth.subsets()[j];
        subsets[j] = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
          Integer r = row.get(ids[i]);
          if (r == null) {
            throw new IllegalArgumentException("ground truth subset of model " + truth
                .modelIds()[j] + " holds example " + ids[i] + ", which is not a training row"
                + " of this setting: was the ground truth made for another setting?");
          }
          subsets[j][i] = r;
        }
      }
      if (column.size() != truth.queryIds().length || !covers(truth.queryIds(), column)) {
        throw new IllegalArgumentException("ground truth has " + truth.queryIds().length
            + " queries, the setting " + m + ": they must be the same query rows");
      }
      float[][] rows = new float[scores.numTrain()][m];
      for (int i = 0; i < rows.length; i++) {
        for (int q = 0; q < m; q++) {
          rows[i][q] = scores.get(i, q);
        }
      }
      return Lds.evaluate(rows, subsets, y);
    }

    private static boolean covers(long[] ids, Map<Long, Integer> column) {
      for (long id : ids) {
        if (!column.containsKey(id)) {
          return false;
        }
      }
      return true;
    }
  }
}
