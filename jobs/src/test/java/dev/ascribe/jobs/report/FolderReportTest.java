package dev.ascribe.jobs.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import dev.ascribe.core.data.ProjectRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Pages of folders that need no Spark: a benchmark suite (the committed bench/results.json) and a
 * sweep (the committed bench/lambda/lr-fim); and the page writer's escaping.
 */
class FolderReportTest {
  @TempDir Path dir;

  @Test
  void aBenchFolderGetsItsChartAndEveryRow() throws Exception {
    Path bench = ProjectRoot.find().resolve("bench");
    Files.copy(bench.resolve("results.json"), dir.resolve("results.json"));
    Path page = ReportJob.write(new ReportJob.Request(dir, null, null, List.of(), dir), () -> {
      throw new AssertionError("a bench folder needs no Spark");
    });
    Document doc = ReportCommandTest.parse(page);
    assertTrue(ReportCommandTest.assertImagesDecode(doc, page.getParent()) == 1);
    Map<?, ?> results = new Gson().fromJson(Files.readString(dir.resolve("results.json")),
        Map.class);
    int rows = ((List<?>) results.get("rows")).size();
    NodeList trs = doc.getElementsByTagName("tr");
    int shown = 0;
    for (int i = 0; i < trs.getLength(); i++) {
      shown += "bench-row".equals(((Element) trs.item(i)).getAttribute("class")) ? 1 : 0;
    }
    assertEquals(rows, shown);
  }

  @Test
  void aSweepFolderGetsItsPlots() throws Exception {
    Path sweep = ProjectRoot.find().resolve("bench/lambda/lr-fim");
    Path target = Files.createDirectories(dir.resolve("sweep"));
    for (String f : List.of("lds-vs-lambda.png", "heatmap.png", "results.md")) {
      Files.copy(sweep.resolve(f), target.resolve(f));
    }
    Path page = ReportJob.write(new ReportJob.Request(dir, null, null, List.of(), dir), () -> {
      throw new AssertionError("a sweep folder needs no Spark");
    });
    Document doc = ReportCommandTest.parse(page);
    assertEquals(2, ReportCommandTest.assertImagesDecode(doc, page.getParent()));
    assertTrue(doc.getElementsByTagName("pre").item(0).getTextContent()
        .equals(Files.readString(target.resolve("results.md"))));
  }

  @Test
  void textIsEscapedAndNestingChecked() throws Exception {
    Xhtml page = new Xhtml().open("p", "title", "a \"b\" & <c>").text("x < y & z > 'w'")
        .close("p");
    assertEquals("<p title=\"a &quot;b&quot; &amp; &lt;c&gt;\">x &lt; y &amp; z &gt; &#39;w&#39;"
        + "</p>", page.toString());
    Document doc = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new java.io.ByteArrayInputStream(page.toString().getBytes("UTF-8")));
    assertEquals("x < y & z > 'w'", doc.getDocumentElement().getTextContent());
    assertThrows(IllegalStateException.class, () -> new Xhtml().open("p").close("div"));
    assertThrows(IllegalStateException.class, () -> new Xhtml().open("p").toString());
  }

  @Test
  void queriesAreIdsOrACount() {
    long[] run = {10, 11, 12, 13};
    assertEquals(List.of(10L, 11L, 12L), box(QueryChoice.choose(null, run)));
    assertEquals(List.of(10L, 11L), box(QueryChoice.choose("2", run)));
    assertEquals(List.of(10L, 11L, 12L, 13L), box(QueryChoice.choose("12", run)));
    assertEquals(List.of(13L, 10L), box(QueryChoice.choose("13,10", run)));
    assertEquals(List.of(12L), box(QueryChoice.choose("12,", run)));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> QueryChoice.choose("9,", run));
    assertEquals("--queries 9,: query id 9 is not a query of this run; its 4 queries have ids"
        + " 10..13", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> QueryChoice.choose("0", run));
  }

  @Test
  void binsCountEveryFiniteValueOnce() {
    Bins b = Bins.of(new double[] {0, 0.25, 0.5, 1, Double.NaN}, 4);
    assertEquals(List.of(1L, 1L, 1L, 1L), box(b.counts()));
    assertEquals(1.0, b.edges()[4]);
    assertEquals(4, b.total());
  }

  @Test
  void recordedOptionsReplayAsTheCommandLineWroteThem() {
    assertEquals("5000", RecordedOptions.hocon(5000.0));
    assertEquals("0.01", RecordedOptions.hocon(0.01));
    assertEquals("[4, 8]", RecordedOptions.hocon(List.of(4.0, 8.0)));
    assertEquals("lr", RecordedOptions.hocon("lr"));
  }

  private static List<Long> box(long[] values) {
    return java.util.Arrays.stream(values).boxed().toList();
  }
}
