package dev.ascribe.jobs.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ascribe.jobs.pipeline.SweepJob.Grid;
import dev.ascribe.jobs.pipeline.SweepJob.Point;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sweep's second axis: numbers, or projection kinds by name, parsed, checked and plotted. */
class SweepAxesTest {
  @Test
  void projectionKindIsAnAxisOfNames() {
    Grid grid = Grid.parse(List.of("projection.kind=gaussian, SJLT,factorized", "lambda=1,3"));
    assertEquals("projection.kind", grid.otherName());
    assertEquals(List.of("gaussian", "sjlt", "factorized"), grid.otherValues());
    assertEquals(2, grid.lambdas().length);
    Grid dims = Grid.parse(List.of("projection.dim=512,2048"));
    assertEquals(List.of("512", "2048"), dims.otherValues());
    Grid none = Grid.parse(List.of());
    assertNull(none.otherName());
    assertEquals(List.of("0"), none.otherValues());
  }

  @Test
  void badAxisValuesNameTheEntry() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Grid.parse(List.of("projection.kind=gaussian,dense")));
    assertEquals("--over given 'projection.kind=gaussian,dense': option projection.kind given"
        + " dense: expected one of gaussian, rademacher, sjlt, factorized", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Grid.parse(List.of("projection.dim=sjlt")));
    assertTrue(e.getMessage().startsWith("--over given 'projection.dim=sjlt': value 'sjlt' is"
        + " not a number"), e.getMessage());
  }

  @Test
  void plotsLabelAnAxisOfNames(@TempDir Path dir) throws IOException {
    Grid grid = Grid.parse(List.of("projection.kind=gaussian,factorized", "lambda=0.1,1,10"));
    List<Point> points = new ArrayList<>();
    for (String kind : grid.otherValues()) {
      double shift = kind.equals("gaussian") ? 0 : -0.05;
      points.add(new Point(kind, "zero", 0, 0.2 + shift, 0.01, Double.NaN));
      for (double m : grid.lambdas()) {
        points.add(new Point(kind, "grid", m, 0.3 + shift + 0.01 * Math.log10(m), 0.01, 0.5));
      }
      points.add(new Point(kind, "1x", 1, 0.3 + shift, 0.01, 0.5));
    }
    SweepPlots.write(dir, "mnist-lr trak", grid, points, "1x");
    assertTrue(Files.size(dir.resolve("lds-vs-lambda.png")) > 0);
    assertTrue(Files.size(dir.resolve("heatmap.png")) > 0);
  }
}
