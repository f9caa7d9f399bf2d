package dev.ascribe.jobs.report;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The report's charts as PNG files (XChart, as the sweep's plots). */
final class Charts {
  private static final int WIDTH = 640;
  private static final int HEIGHT = 360;

  private Charts() {}

  /**
   * A histogram drawn as a filled step outline; returns the page's path to it.
   *
   * @param xPattern the x axis labels' {@link java.text.DecimalFormat} pattern
   */
  static String histogram(ImageFolder images, String name, String title, String xTitle,
      String xPattern, Bins bins) throws IOException {
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
        .xAxisTitle(xTitle).yAxisTitle("count").build();
    chart.getStyler().setLegendVisible(false);
    chart.getStyler().setXAxisDecimalPattern(xPattern);
    // Step draws each y from its x to the next x: the last count is repeated at the last edge.
    long[] c = bins.counts();
    double[] y = new double[c.length + 1];
    for (int i = 0; i < c.length; i++) {
      y[i] = c[i];
    }
    y[c.length] = c[c.length - 1];
    XYSeries series = chart.addSeries("count", bins.edges(), y);
    series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.StepArea);
    series.setMarker(SeriesMarkers.NONE);
    BitmapEncoder.saveBitmap(chart, images.file(name).toString(),
        BitmapEncoder.BitmapFormat.PNG);
    return images.ref(name);
  }

  /**
   * One point per method (labelled), one series per setting: quality (LDS) against cost
   * (seconds, log scale), the chart attribution libraries are compared by.
   *
   * @param points per setting, its methods' (label, seconds, LDS)
   */
  static String ldsVsSeconds(ImageFolder images, String name, Map<String, List<BenchPoint>> points)
      throws IOException {
    XYChart chart = new XYChartBuilder().width(1000).height(600)
        .title("LDS against seconds, every method and setting").xAxisTitle("method seconds (log)")
        .yAxisTitle("LDS").build();
    chart.getStyler().setXAxisLogarithmic(true);
    chart.getStyler().setAnnotationTextFontColor(java.awt.Color.DARK_GRAY);
    for (Map.Entry<String, List<BenchPoint>> e : points.entrySet()) {
      List<BenchPoint> p = e.getValue();
      XYSeries s = chart.addSeries(e.getKey(), p.stream().mapToDouble(BenchPoint::seconds)
          .toArray(), p.stream().mapToDouble(BenchPoint::lds).toArray());
      s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
      for (BenchPoint b : p) {
        // Just above its marker, which a centred label would hide.
        chart.addAnnotation(new AnnotationText(b.label(), b.seconds(), b.lds() + 0.012, false));
      }
    }
    BitmapEncoder.saveBitmap(chart, images.file(name).toString(),
        BitmapEncoder.BitmapFormat.PNG);
    return images.ref(name);
  }

  /** One method's row of a benchmark suite. */
  record BenchPoint(String label, double seconds, double lds) {}
}
