package dev.ascribe.jobs.report;

import dev.ascribe.core.score.TopK;
import dev.ascribe.udf.io.TopKScores;
import java.io.IOException;
import java.util.Locale;

/**
 * One card per chosen query: the query as the data is, its label and the models' prediction, then
 * its top proponents and top opponents (rank, the example, id, label, score) from the top-K
 * table. Rows carry {@code data-query}, {@code data-kind} and {@code data-rank} so the page can be
 * checked against the table.
 */
final class QueryCards {
  private final ExampleView view;
  private final ImageFolder images;

  QueryCards(ExampleView view, ImageFolder images) {
    this.view = view;
    this.images = images;
  }

  /**
   * @param chosen the query ids to show, in order
   * @param table the run's top-K table
   * @param queries the chosen queries' rows
   * @param train the rows of every training example the chosen queries' tables name
   * @param predictions per chosen query, in {@code chosen}'s order
   */
  void write(Xhtml page, long[] chosen, TopKScores table, Examples queries, Examples train,
      Predictions predictions) throws IOException {
    page.open("section", "id", "queries").element("h2", "Queries")
        .element("p", "Each query with the training examples that most raised (proponents) and"
            + " most lowered (opponents) the model's output on it. Prediction: the class of the"
            + " highest probability averaged over the run's " + predictions.models()
            + " model(s).");
    for (int q = 0; q < chosen.length; q++) {
      long id = chosen[q];
      page.open("div", "class", "query", "id", "query-" + id);
      page.open("div", "class", "query-head");
      view.show(page, images, "query-" + id, queries.features(id), "query " + id);
      page.open("p").element("strong", "query " + id).text(", label ")
          .element("span", Integer.toString(queries.label(id)), "class", "label")
          .text(", predicted ")
          .element("span", Integer.toString(predictions.classes()[q]), "class", "prediction")
          .text(String.format(Locale.ROOT, " (p = %.3f)", predictions.probability()[q]))
          .close("p").close("div");
      page.open("div", "class", "sides");
      side(page, table, id, TopK.Kind.PROPONENT, "top proponents", train);
      side(page, table, id, TopK.Kind.OPPONENT, "top opponents", train);
      page.close("div").close("div");
    }
    page.close("section");
  }

  private void side(Xhtml page, TopKScores table, long query, TopK.Kind kind, String title,
      Examples train) throws IOException {
    String kindName = kind.name().toLowerCase(Locale.ROOT);
    page.open("table", "class", "examples " + kindName).element("caption", title);
    page.open("tr").element("th", "rank").element("th", "example").element("th", "id")
        .element("th", "label").element("th", "score").close("tr");
    for (int r = 0; r < table.size(); r++) {
      if (table.queryIds()[r] != query || table.kinds()[r] != kind) {
        continue;
      }
      long id = table.exampleIds()[r];
      page.open("tr", "data-query", Long.toString(query), "data-kind", kindName, "data-rank",
          Integer.toString(table.ranks()[r]));
      page.element("td", Integer.toString(table.ranks()[r])).open("td");
      view.show(page, images, "train-" + id, train.features(id), "training example " + id);
      page.close("td").element("td", Long.toString(id))
          .element("td", Integer.toString(train.label(id)))
          .element("td", Numbers.score(table.scores()[r])).close("tr");
    }
    page.close("table");
  }
}
