package dev.ascribe.jobs.pipeline;

import dev.ascribe.jobs.pipeline.SweepJob.Grid;
import dev.ascribe.jobs.pipeline.SweepJob.Point;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The sweep's PNG plots (XChart): LDS against λ with ξ̄ on a second y axis and the default rule's
 * λ* and the spectral rules marked ({@code lds-vs-lambda.png}); with a second hyperparameter of
 * two or more values also a heatmap of LDS over λ x that hyperparameter ({@code heatmap.png}, the
 * hyperparameter-sensitivity paper's figure).
 */
final class SweepPlots {
  private static final List<String> MARKED = List.of("1x", "0.3x", "0.1x", "q50", "xi=0.5");

  private SweepPlots() {}

  static void write(Path dir, String title, Grid grid, List<Point> points, String defaultRule)
      throws IOException {
    XYChart chart = new XYChartBuilder().width(1000).height(650).title(title)
        .xAxisTitle("λ / mean non-zero eigenvalue").yAxisTitle("LDS").build();
    chart.getStyler().setXAxisLogarithmic(true);
    chart.setYAxisGroupTitle(1, "ξ̄ (validation queries)");
    for (String value : grid.otherValues()) {
      String suffix = grid.otherName() == null ? "" : " " + grid.otherName() + "=" + value;
      List<Point> curve = points.stream()
          .filter(p -> p.other().equals(value) && p.label().equals("grid")).toList();
      double[] x = curve.stream().mapToDouble(Point::multiple).toArray();
      chart.addSeries("LDS" + suffix, x, curve.stream().mapToDouble(Point::lds).toArray());
      XYSeries xi = chart.addSeries("ξ̄" + suffix, x,
          curve.stream().mapToDouble(Point::xi).toArray());
      xi.setYAxisGroup(1);
      xi.setMarker(SeriesMarkers.NONE);
      List<Point> rules = points.stream()
          .filter(p -> p.other().equals(value) && MARKED.contains(p.label())).toList();
      XYSeries marks = chart.addSeries("rules" + suffix,
          rules.stream().mapToDouble(Point::multiple).toArray(),
          rules.stream().mapToDouble(Point::lds).toArray());
      marks.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
      marks.setMarker(SeriesMarkers.DIAMOND);
    }
    // Vertical lines at the first series' rule values, labelled; λ* is the default rule's.
    String first = grid.otherValues().get(0);
    double top = points.stream().filter(p -> p.other().equals(first)).mapToDouble(Point::lds)
        .filter(Double::isFinite).max().orElse(0);
    for (Point p : points) {
      if (p.other().equals(first) && MARKED.contains(p.label()) && p.multiple() > 0) {
        chart.addAnnotation(new AnnotationLine(p.multiple(), true, false));
        String label = p.label().equals(defaultRule) ? "λ* = " + p.label() : p.label();
        chart.addAnnotation(new AnnotationText(label, p.multiple(), top, false));
      }
    }
    BitmapEncoder.saveBitmap(chart, dir.resolve("lds-vs-lambda.png").toString(),
        BitmapEncoder.BitmapFormat.PNG);
    if (grid.otherName() != null && grid.otherValues().size() > 1) {
      heatmap(dir, title, grid, points);
    }
  }

  private static void heatmap(Path dir, String title, Grid grid, List<Point> points)
      throws IOException {
    HeatMapChart chart = new HeatMapChartBuilder().width(1000).height(500)
        .title(title + ": LDS").xAxisTitle("λ / mean eigenvalue").yAxisTitle(grid.otherName())
        .build();
    List<String> xs = new ArrayList<>();
    List<Double> lambdas = points.stream().filter(p -> p.label().equals("grid"))
        .map(Point::multiple).distinct().sorted().toList();
    lambdas.forEach(l -> xs.add(String.format(Locale.ROOT, "%.2g", l)));
    List<String> ys = grid.otherValues();
    List<Number[]> heat = new ArrayList<>();
    for (Point p : points) {
      if (p.label().equals("grid")) {
        // Two decimals: thirteen cells per row leave room for no more.
        heat.add(new Number[] {lambdas.indexOf(p.multiple()), ys.indexOf(p.other()),
            Math.round(p.lds() * 100) / 100.0});
      }
    }
    chart.getStyler().setShowValue(true);
    chart.addSeries("LDS", xs, ys, heat);
    BitmapEncoder.saveBitmap(chart, dir.resolve("heatmap.png").toString(),
        BitmapEncoder.BitmapFormat.PNG);
  }
}
