package dev.ascribe.udf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.util.JsonUtils;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * Spark and DJL (PyTorch) in one JVM: both load, and DJL runs inside Spark task threads, with the
 * shared Jackson (Spark), Gson (DJL) and slf4j/log4j versions this module resolves.
 */
class SparkWithDjlTest {
  @Test
  void djlRunsOnTheDriverAndInsideSparkTasks() {
    SparkSession spark = SharedSpark.get();
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray a = manager.create(new float[] {1f, 2f, 3f, 4f});
      assertArrayEquals(new float[] {2f, 4f, 6f, 8f}, a.mul(2).toFloatArray());
    }
    // One base manager per partition, results leave as Java values (STYLE.md, Native memory).
    MapPartitionsFunction<Long, Float> sumOfSquares = it -> {
      try (NDManager m = NDManager.newBaseManager()) {
        List<Float> xs = new java.util.ArrayList<>();
        it.forEachRemaining(x -> xs.add(x.floatValue()));
        float[] v = new float[xs.size()];
        for (int i = 0; i < v.length; i++) {
          v[i] = xs.get(i);
        }
        return List.of(m.create(v).square().sum().getFloat()).iterator();
      }
    };
    List<Float> partials = spark.range(1, 11).repartition(2)
        .mapPartitions(sumOfSquares, Encoders.FLOAT()).collectAsList();
    assertEquals(385f, partials.stream().reduce(0f, Float::sum));
  }

  @Test
  void sparkJacksonAndDjlGsonWorkSideBySide() {
    SparkSession spark = SharedSpark.get();
    // Spark serializes rows to JSON with its Jackson; DJL's JsonUtils uses Gson.
    String json = spark.range(2).selectExpr("id").toJSON().collectAsList().toString();
    assertEquals("[{\"id\":0}, {\"id\":1}]", json);
    assertEquals("{\"a\":1}", JsonUtils.GSON_COMPACT.toJson(Map.of("a", 1)));
    System.err.println("SparkWithDjlTest: jackson-databind "
        + com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION + ", DJL "
        + ai.djl.engine.Engine.getDjlVersion() + " / " + ai.djl.engine.Engine.getInstance()
            .getEngineName() + " " + ai.djl.engine.Engine.getInstance().getVersion());
  }
}
