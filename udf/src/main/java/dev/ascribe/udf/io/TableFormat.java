package dev.ascribe.udf.io;

import dev.ascribe.core.score.TopK;

import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.FloatType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The schemas of Ascribe's Parquet tables (DESIGN.md, Formats) and their sort keys: the one place
 * Spark jobs and the array readers and writers take them from.
 *
 * <p>Types are compared by name ({@code array<float>}, {@code bigint}, ...), ignoring
 * nullability, because Spark reads every Parquet column back as nullable; the readers check for
 * nulls row by row instead. Tables are written sorted by their keys and read back in key order.
 */
public enum TableFormat {
  /**
   * Training or query rows: id bigint, features array&lt;float&gt; (or array&lt;int&gt; token ids,
   * read as floats), label int. Key: id.
   */
  INPUT_ROWS("input rows",
      schema(field(Columns.ID, LongType), floats(Columns.FEATURES),
          field(Columns.LABEL, IntegerType)),
      Columns.ID),
  /**
   * Projected gradients: example_id bigint, model int, label int, phi array&lt;float&gt; (length
   * k), q float. Keys: example_id, model: an example's rows of every model sit together, so a
   * file split by Spark separates few examples.
   */
  FEATURES("features",
      schema(field(Columns.EXAMPLE_ID, LongType), field(Columns.MODEL, IntegerType),
          field(Columns.LABEL, IntegerType), floats(Columns.PHI), field(Columns.Q, FloatType)),
      Columns.EXAMPLE_ID, Columns.MODEL),
  /**
   * Each query's strongest proponents and opponents: query_id bigint, rank int (1 = strongest),
   * example_id bigint, score double, kind string ({@link TopK.Kind#value()}). Keys: query_id,
   * kind, rank.
   */
  SCORES_TOP_K("top-K scores",
      schema(field(Columns.QUERY_ID, LongType), field(Columns.RANK, IntegerType),
          field(Columns.EXAMPLE_ID, LongType), field(Columns.SCORE, DoubleType),
          field(Columns.KIND, StringType)),
      Columns.QUERY_ID, Columns.KIND, Columns.RANK),
  /**
   * The full score matrix, one row per training example: example_id bigint, scores
   * array&lt;float&gt; (one per query, in the order of the table's {@code _queries.json}). Key:
   * example_id.
   */
  SCORES_FULL("full scores",
      schema(field(Columns.EXAMPLE_ID, LongType), floats(Columns.SCORES)),
      Columns.EXAMPLE_ID),
  /**
   * Retrained models' query outputs, one row per (model, query): model_id int, subset
   * array&lt;bigint&gt; (training example ids), query_id bigint, logp double, margin double.
   * Keys: model_id, query_id.
   */
  /**
   * Each training example's self-influence, the loss measured on both sides: example_id bigint,
   * self_influence double. Keys: example_id.
   */
  SELF_INFLUENCE("self-influence",
      schema(field(Columns.EXAMPLE_ID, LongType), field(Columns.SELF_INFLUENCE, DoubleType)),
      Columns.EXAMPLE_ID),
  GROUND_TRUTH("groundtruth",
      schema(field(Columns.MODEL_ID, IntegerType),
          new StructField(Columns.SUBSET, createArrayType(LongType, false), false, empty()),
          field(Columns.QUERY_ID, LongType), field(Columns.LOGP, DoubleType),
          field(Columns.MARGIN, DoubleType)),
      Columns.MODEL_ID, Columns.QUERY_ID),
  /**
   * Leave-one-out ground truth, one row per (removed example, query): removed_id bigint (the
   * training example left out), query_id bigint, logp double and margin double (the query under
   * the model trained without it), full_logp double and full_margin double (the query under the
   * full model, repeated on each removed example's row so that a row holds its own difference).
   * Keys: removed_id, query_id.
   */
  LOO_GROUND_TRUTH("LOO groundtruth",
      schema(field(Columns.REMOVED_ID, LongType), field(Columns.QUERY_ID, LongType),
          field(Columns.LOGP, DoubleType), field(Columns.MARGIN, DoubleType),
          field(Columns.FULL_LOGP, DoubleType), field(Columns.FULL_MARGIN, DoubleType)),
      Columns.REMOVED_ID, Columns.QUERY_ID);

  private final String title;
  private final StructType schema;
  private final List<String> keys;

  TableFormat(String title, StructType schema, String... keys) {
    this.title = title;
    this.schema = schema;
    this.keys = List.of(keys);
  }

  /** A short name for messages, e.g. "features". */
  public String title() {
    return title;
  }

  /** "a features table", "an input rows table": for messages. */
  String aTable() {
    return ("aeiou".indexOf(title.charAt(0)) >= 0 ? "an " : "a ") + title + " table";
  }

  /** The schema writers produce, columns in this order. */
  public StructType schema() {
    return schema;
  }

  /** The columns the table is sorted by, most significant first; together they are unique. */
  public List<String> keys() {
    return keys;
  }

  /** {@link #keys()} as Spark columns, for {@code sort}/{@code sortWithinPartitions}. */
  public Column[] keyColumns() {
    return keys.stream().map(functions::col).toArray(Column[]::new);
  }

  /**
   * Checks that {@code found} has every column of this format with its type.
   *
   * @param found the schema of the table or Dataset
   * @param path where it came from (named in messages)
   * @throws InvalidTableException naming the path, the column, the type found and expected
   */
  public void checkSchema(StructType found, String path) {
    for (StructField want : schema.fields()) {
      StructField got = fieldOrNull(found, want.name());
      if (got == null) {
        throw new InvalidTableException(path, "column '" + want.name() + "' is missing: expected "
            + want.name() + " " + want.dataType().catalogString() + " in " + aTable()
            + "; found columns " + describe(found));
      }
      String gotType = got.dataType().catalogString();
      String wantType = want.dataType().catalogString();
      if (!gotType.equals(wantType) && !readsAs(want, gotType)) {
        throw new InvalidTableException(path, "column '" + want.name() + "' has type " + gotType
            + ": expected " + wantType + " in " + aTable());
      }
    }
  }

  /**
   * The columns of this format, in schema order, after {@link #checkSchema}; other columns are
   * dropped (inputs may carry extra columns).
   */
  public Dataset<Row> conform(Dataset<Row> rows, String path) {
    checkSchema(rows.schema(), path);
    StructType found = rows.schema();
    return rows.select(Arrays.stream(schema.fields()).map(want -> {
      Column c = functions.col(want.name());
      String type = fieldOrNull(found, want.name()).dataType().catalogString();
      return type.equals(want.dataType().catalogString()) ? c
          // By name: the target's elements are then nullable, as Parquet columns read back.
          : c.cast(want.dataType().catalogString()).as(want.name());
    }).toArray(Column[]::new));
  }

  /**
   * Whether a column of type {@code found} is read as {@code want} by a cast: an input rows
   * table's features may be token ids stored as {@code array<int>} (a sequence model's input),
   * read as floats, which hold every id below 2^24 exactly.
   */
  private boolean readsAs(StructField want, String found) {
    return this == INPUT_ROWS && want.name().equals(Columns.FEATURES)
        && found.equals("array<int>");
  }

  /**
   * Like {@link #conform} but also rejects extra columns, so a job cannot silently write fewer
   * or more columns than the format has.
   */
  public Dataset<Row> conformExactly(Dataset<Row> rows, String path) {
    Set<String> known = Set.of(schema.fieldNames());
    List<String> extra = new ArrayList<>();
    for (String name : rows.schema().fieldNames()) {
      if (!known.contains(name)) {
        extra.add(name);
      }
    }
    if (!extra.isEmpty()) {
      throw new InvalidTableException(path, "unexpected column(s) " + extra + " for "
          + aTable() + ": expected exactly " + describe(schema));
    }
    return conform(rows, path);
  }

  private static StructField fieldOrNull(StructType type, String name) {
    for (StructField f : type.fields()) {
      if (f.name().equals(name)) {
        return f;
      }
    }
    return null;
  }

  private static String describe(StructType type) {
    return Arrays.stream(type.fields())
        .map(f -> f.name() + " " + f.dataType().catalogString())
        .collect(Collectors.joining(", ", "[", "]"));
  }

  private static StructType schema(StructField... fields) {
    return new StructType(fields);
  }

  private static StructField field(String name, org.apache.spark.sql.types.DataType type) {
    return new StructField(name, type, false, empty());
  }

  private static StructField floats(String name) {
    return new StructField(name, createArrayType(FloatType, false), false, empty());
  }

  private static org.apache.spark.sql.types.Metadata empty() {
    return org.apache.spark.sql.types.Metadata.empty();
  }
}
