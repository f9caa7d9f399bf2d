package dev.ascribe.udf.ml;

import dev.ascribe.udf.io.Columns;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The input columns of both stages under the user's names: the schema check (before any work,
 * naming the column, its param, the type found and the type expected) and the renaming to
 * Ascribe's input-rows schema (id bigint, features array&lt;float&gt;, label int).
 */
final class InputSchema {
  private InputSchema() {}

  /**
   * Checks the idCol, featuresCol and labelCol columns of {@code schema}; nullability is ignored.
   *
   * @param stage who checks, for messages ("AttributionEstimator")
   * @throws IllegalArgumentException for a missing column or a column of another type
   */
  static void check(String stage, AttributionParams p, StructType schema) {
    column(stage, schema, "idCol", p.getIdCol(), DataTypes.LongType);
    column(stage, schema, "featuresCol", p.getFeaturesCol(),
        DataTypes.createArrayType(DataTypes.FloatType));
    column(stage, schema, "labelCol", p.getLabelCol(), DataTypes.IntegerType);
  }

  private static void column(String stage, StructType schema, String param, String name,
      DataType want) {
    StructField got = field(schema, name);
    String wanted = want.catalogString();
    if (got == null) {
      throw new IllegalArgumentException(stage + ": input column '" + name + "' (" + param
          + ") is missing: expected " + name + " " + wanted + "; found columns "
          + describe(schema) + ". Rename the column or set " + param + ".");
    }
    String found = got.dataType().catalogString();
    if (!found.equals(wanted)) {
      throw new IllegalArgumentException(stage + ": input column '" + name + "' (" + param
          + ") has type " + found + ": expected " + wanted + ". Cast it, e.g. col(\"" + name
          + "\").cast(\"" + wanted + "\").");
    }
  }

  /** The input columns renamed to id, features and label; other columns dropped. */
  static Dataset<Row> inputRows(Dataset<?> data, AttributionParams p) {
    return data.select(functions.col(p.getIdCol()).as(Columns.ID),
        functions.col(p.getFeaturesCol()).as(Columns.FEATURES),
        functions.col(p.getLabelCol()).as(Columns.LABEL));
  }

  /** The field called {@code name}, or null. */
  static StructField field(StructType schema, String name) {
    return Arrays.stream(schema.fields()).filter(f -> f.name().equals(name)).findFirst()
        .orElse(null);
  }

  private static String describe(StructType schema) {
    return Arrays.stream(schema.fields())
        .map(f -> f.name() + " " + f.dataType().catalogString())
        .collect(Collectors.joining(", ", "[", "]"));
  }
}
