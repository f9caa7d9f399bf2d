package dev.ascribe.jobs.report;

import static dev.ascribe.jobs.cli.BadInputTest.stderrOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import dev.ascribe.core.data.DataRoot;
import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.data.Mnist;
import dev.ascribe.core.score.TopK;
import dev.ascribe.jobs.cli.Main;
import dev.ascribe.udf.io.Columns;
import dev.ascribe.udf.io.ParquetTables;
import dev.ascribe.udf.io.TableFormat;
import dev.ascribe.udf.io.Tables;
import dev.ascribe.udf.io.TopKScores;
import dev.ascribe.udf.spark.SparkSessions;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * {@code ascribe report} on a small MNIST-LR run (attribute with self-influence, ground truth,
 * evaluate): the page parses as XML, every picture it names decodes, and its numbers are those of
 * metrics.json, the top-K table, the self-influence table and the data files.
 */
class ReportCommandTest {
  private static final List<String> SMALL = List.of("data.train.count=300",
      "data.queries.count=20", "train.epochs=2", "train.checkpoints=[]", "models=2",
      "projection.dim=32", "groundtruth.models=4", "scores.self=true", "topk=4");

  @TempDir static Path dir;
  static Path run;
  static Path gt;
  static Document page;
  static Path noisy;

  @BeforeAll
  static void runAndReport() throws Exception {
    run = dir.resolve("run");
    gt = dir.resolve("gt");
    assertEquals(0, Main.run(args("attribute", run)));
    assertEquals(0, Main.run(args("groundtruth", gt)));
    assertEquals(0, Main.run(args("evaluate", run, "--groundtruth", gt.toString())));
    assertEquals(0, Main.run("--quiet", "report", "--out", run.toString(), "--groundtruth",
        gt.toString(), "--queries", "3,0,17"));
    page = parse(run.resolve("report/index.html"));
    noisy = dir.resolve("noisy");
    assertEquals(0, Main.run("noisy-labels", "--conf", "conf/mnist-lr.conf", "--out",
        noisy.toString(), "--set", "data.train.count=300", "--set", "models=1", "--set",
        "train.epochs=2", "--set", "train.checkpoints=[]", "--set", "projection.dim=32"));
    assertEquals(0, Main.run("report", "--out", noisy.toString(), "--quiet"));
  }

  static String[] args(String command, Path out, String... extra) {
    List<String> a = new ArrayList<>(List.of(command, "--conf", "conf/mnist-lr.conf", "--out",
        out.toString()));
    SMALL.forEach(s -> a.addAll(List.of("--set", s)));
    a.addAll(Arrays.asList(extra));
    return a.toArray(new String[0]);
  }

  static Document parse(Path file) throws Exception {
    // The JDK's XML parser: any unclosed tag, bad nesting or unescaped '<' or '&' fails here.
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
  }

  @Test
  void everyPictureTheRunPageNamesExistsAndDecodes() throws Exception {
    int images = assertImagesDecode(page, run.resolve("report"));
    // 3 queries + 3 x (4 proponents + 4 opponents) + 10 outliers at most + 2 charts, less repeats.
    assertTrue(images >= 3 + 8 + 10 + 2, "pictures on the page: " + images);
  }

  static int assertImagesDecode(Document doc, Path reportDir) throws Exception {
    NodeList imgs = doc.getElementsByTagName("img");
    for (int i = 0; i < imgs.getLength(); i++) {
      String src = ((Element) imgs.item(i)).getAttribute("src");
      assertTrue(!src.contains(":") && !src.startsWith("/"), "a relative path: " + src);
      Path file = reportDir.resolve(src);
      assertTrue(Files.isRegularFile(file), "picture exists: " + file);
      BufferedImage image = ImageIO.read(file.toFile());
      assertNotNull(image, "decodes as an image: " + file);
      assertTrue(image.getWidth() > 0 && image.getHeight() > 0, file.toString());
    }
    return imgs.getLength();
  }

  @Test
  @SuppressWarnings("unchecked")
  void theMetricsAreThoseOfMetricsJsonAndTheGroundTruthGivesTheSameLds() throws Exception {
    Map<String, Object> metrics = new Gson().fromJson(
        Files.readString(run.resolve("eval/metrics.json")), Map.class);
    Map<String, Object> lds = (Map<String, Object>) metrics.get("lds");
    String mean = String.format(Locale.ROOT, "%.4f", (Double) lds.get("mean"));
    String stderr = String.format(Locale.ROOT, "%.4f", (Double) lds.get("stderr"));
    assertEquals(mean, byId("metric-lds.mean"));
    assertEquals(stderr, byId("metric-lds.stderr"));
    assertEquals(String.valueOf(((Double) lds.get("models")).intValue()), byId("metric-lds.models"));
    assertEquals("trak", byId("metric-method"));
    // Recomputed per query from --groundtruth: the same ground truth gives the same LDS.
    assertEquals(mean, byId("lds-mean"));
    assertEquals(stderr, byId("lds-stderr"));
  }

  @Test
  void theQueryCardsShowTheTopKTableTheDataLabelsAndTheModelsPrediction() throws Exception {
    TopKScores table = Tables.readScoresTopK(SparkSessions.local(),
        run.resolve("scores/topk").toString());
    Path data = DataRoot.resolve(Optional.empty());
    Dataset train = Mnist.loadRange(data, Mnist.Split.TRAIN, 0, 300);
    Dataset test = Mnist.loadRange(data, Mnist.Split.TEST, 0, 20);
    long[] chosen = {3, 0, 17};
    int rowsSeen = 0;
    for (long q : chosen) {
      Element card = byIdElement("query-" + q);
      assertEquals(String.valueOf(test.label((int) q)), firstByClass(card, "label"));
      assertEquals(String.valueOf(meanProbabilityArgMax(test.select(new int[] {(int) q}, "q"))),
          firstByClass(card, "prediction"));
      NodeList rows = card.getElementsByTagName("tr");
      for (int i = 0; i < rows.getLength(); i++) {
        Element tr = (Element) rows.item(i);
        if (!tr.hasAttribute("data-rank")) {
          continue;
        }
        assertEquals(String.valueOf(q), tr.getAttribute("data-query"));
        TopK.Kind kind = TopK.Kind.valueOf(tr.getAttribute("data-kind").toUpperCase(Locale.ROOT));
        int rank = Integer.parseInt(tr.getAttribute("data-rank"));
        int r = find(table, q, kind, rank);
        NodeList cells = tr.getElementsByTagName("td");
        assertEquals(String.valueOf(rank), cells.item(0).getTextContent());
        long id = table.exampleIds()[r];
        assertEquals(String.valueOf(id), cells.item(2).getTextContent());
        assertEquals(String.valueOf(train.label((int) id)), cells.item(3).getTextContent());
        assertEquals(String.format(Locale.ROOT, "%.4g", table.scores()[r]),
            cells.item(4).getTextContent());
        rowsSeen++;
      }
    }
    long expected = Arrays.stream(table.queryIds()).filter(q -> q == 3 || q == 0 || q == 17)
        .count();
    assertEquals(expected, rowsSeen, "every top-K row of the chosen queries, no other");
    assertEquals(24, rowsSeen, "4 proponents and 4 opponents for each of 3 queries");
  }

  @Test
  void theOutliersAreTheLargestSelfInfluences() {
    List<Row> top = ParquetTables.read(SparkSessions.local(), TableFormat.SELF_INFLUENCE,
        run.resolve("scores/self").toString())
        .orderBy(functions.col(Columns.SELF_INFLUENCE).desc()).limit(RunReport.OUTLIERS)
        .collectAsList();
    NodeList rows = byIdElement("self-influence").getElementsByTagName("tr");
    List<Element> shown = new ArrayList<>();
    for (int i = 0; i < rows.getLength(); i++) {
      if ("self".equals(((Element) rows.item(i)).getAttribute("class"))) {
        shown.add((Element) rows.item(i));
      }
    }
    assertEquals(RunReport.OUTLIERS, shown.size());
    for (int i = 0; i < shown.size(); i++) {
      NodeList cells = shown.get(i).getElementsByTagName("td");
      Row r = top.get(i);
      assertEquals(String.valueOf(r.getLong(r.fieldIndex(Columns.EXAMPLE_ID))),
          cells.item(2).getTextContent());
      assertEquals(String.format(Locale.ROOT, "%.4g",
          r.getDouble(r.fieldIndex(Columns.SELF_INFLUENCE))), cells.item(4).getTextContent());
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void aNoisyLabelRunShowsItsAucAndTheLabelsItTrainedOn() throws Exception {
    Document doc = parse(noisy.resolve("report/index.html"));
    assertImagesDecode(doc, noisy.resolve("report"));
    Map<String, Object> metrics = new Gson().fromJson(
        Files.readString(noisy.resolve("eval/metrics.json")), Map.class);
    Map<String, Object> auc = (Map<String, Object>) metrics.get("noisy_auc");
    assertEquals(String.format(Locale.ROOT, "%.4f", (Double) auc.get("auc")),
        textById(doc, "metric-noisy_auc.auc"));
    // The flip the run made, rebuilt from its definition (seed 0, 10% of the 300 rows).
    Dataset clean = Mnist.loadRange(DataRoot.resolve(Optional.empty()), Mnist.Split.TRAIN, 0, 300);
    dev.ascribe.core.metric.LabelFlip flip = dev.ascribe.core.metric.LabelFlip.of(clean, 0.1, 0);
    NodeList rows = doc.getElementsByTagName("tr");
    int shown = 0;
    for (int i = 0; i < rows.getLength(); i++) {
      Element tr = (Element) rows.item(i);
      if (!"self".equals(tr.getAttribute("class"))) {
        continue;
      }
      NodeList cells = tr.getElementsByTagName("td");
      int id = Integer.parseInt(cells.item(2).getTextContent());
      assertEquals(String.valueOf(clean.label(id)), cells.item(3).getTextContent());
      assertEquals(flip.data().label(id) + (flip.flipped()[id] ? " (flipped)" : ""),
          cells.item(5).getTextContent());
      shown++;
    }
    assertEquals(RunReport.OUTLIERS, shown);
  }

  @Test
  void badInputGetsAnErrorNamingIt() throws Exception {
    String noScores = stderrOf("report", "--out", gt.toString());
    assertTrue(noScores.contains("report --out " + gt + ": nothing to report")
        && noScores.contains("scores/_ascribe.json"), noScores);
    String outOfRange = stderrOf("report", "--out", run.toString(), "--queries", "999,");
    assertTrue(outOfRange.contains("--queries 999,: query id 999 is not a query of this run;"
        + " its 20 queries have ids 0..19"), outOfRange);
    String notANumber = stderrOf("report", "--out", run.toString(), "--queries", "first");
    assertTrue(notANumber.contains("'first' is not a whole number"), notANumber);
    String conf = stderrOf("report", "--out", run.toString(), "--conf", "conf/mnist-lr.conf");
    assertTrue(conf.contains("report reads the run's options from its _ascribe.json"), conf);
    Path empty = Files.createDirectories(dir.resolve("empty"));
    String queriesWithoutRun = stderrOf("report", "--out", empty.toString(), "--queries", "2");
    assertTrue(queriesWithoutRun.contains("nothing to report"), queriesWithoutRun);
  }

  /** The class of the highest probability averaged over the run's 2 models (final epochs). */
  private static int meanProbabilityArgMax(Dataset one) throws Exception {
    dev.ascribe.core.model.ModelStore store =
        new dev.ascribe.core.model.ModelStore(run.resolve("models"));
    double[] mean = new double[10];
    try (ai.djl.ndarray.NDManager manager = ai.djl.ndarray.NDManager.newBaseManager()) {
      for (int m = 0; m < 2; m++) {
        try (dev.ascribe.core.model.Model net = store.load(m, 2, manager)) {
          float[] logits = net.logits(dev.ascribe.core.model.Inputs.features(one,
              new int[] {0}, net.manager())).toFloatArray();
          double max = Double.NEGATIVE_INFINITY;
          for (float l : logits) {
            max = Math.max(max, l);
          }
          double sum = 0;
          for (float l : logits) {
            sum += Math.exp(l - max);
          }
          for (int k = 0; k < 10; k++) {
            mean[k] += Math.exp(logits[k] - max) / sum / 2;
          }
        }
      }
    }
    int best = 0;
    for (int k = 1; k < 10; k++) {
      best = mean[k] > mean[best] ? k : best;
    }
    return best;
  }

  private static int find(TopKScores table, long query, TopK.Kind kind, int rank) {
    for (int r = 0; r < table.size(); r++) {
      if (table.queryIds()[r] == query && table.kinds()[r] == kind && table.ranks()[r] == rank) {
        return r;
      }
    }
    throw new AssertionError("no top-K row for query " + query + " " + kind + " rank " + rank);
  }

  private static String byId(String id) {
    return byIdElement(id).getTextContent();
  }

  static Element byIdElement(String id) {
    return elementById(page, id);
  }

  private static String textById(Document doc, String id) {
    return elementById(doc, id).getTextContent();
  }

  private static Element elementById(Document doc, String id) {
    NodeList all = doc.getElementsByTagName("*");
    for (int i = 0; i < all.getLength(); i++) {
      Element e = (Element) all.item(i);
      if (id.equals(e.getAttribute("id"))) {
        return e;
      }
    }
    throw new AssertionError("no element with id " + id);
  }

  private static String firstByClass(Element scope, String cls) {
    NodeList all = scope.getElementsByTagName("*");
    for (int i = 0; i < all.getLength(); i++) {
      if (cls.equals(((Element) all.item(i)).getAttribute("class"))) {
        return all.item(i).getTextContent();
      }
    }
    throw new AssertionError("no element of class " + cls);
  }
}
