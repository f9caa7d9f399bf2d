package dev.ascribe.udf.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputPartitionsTest {
  @TempDir Path dir;

  private List<InputPartitions.Partition> list() {
    return InputPartitions.list(dir.toUri().toString(), new Configuration());
  }

  private void write(String relative, String content, long mtime) throws Exception {
    Path file = dir.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
    Files.setLastModifiedTime(file, FileTime.fromMillis(mtime));
  }

  @Test
  void partitionsAreFoldersInKeyOrderAndHiddenFilesAreSkipped() throws Exception {
    write("day=2/part-0.parquet", "bb", 1000);
    write("day=1/part-1.parquet", "a", 1000);
    write("day=1/part-0.parquet", "aa", 1000);
    write("day=1/_SUCCESS", "", 1000);
    write("day=1/.part-0.parquet.crc", "x", 1000);
    write("_temporary/0/part-9.parquet", "zz", 1000);
    write("top.parquet", "t", 1000);
    List<InputPartitions.Partition> parts = list();
    assertEquals(List.of(".", "day=1", "day=2"),
        parts.stream().map(InputPartitions.Partition::key).toList());
    InputPartitions.Partition day1 = parts.get(1);
    assertEquals(2, day1.files().size());
    assertTrue(day1.files().get(0).endsWith("day=1/part-0.parquet"), day1.files().toString());
    assertEquals(3, day1.bytes());
  }

  @Test
  void aPartitionRewrittenInPlaceGetsANewFingerprintAnUntouchedOneKeepsIt() throws Exception {
    write("day=1/part-0.parquet", "aaaa", 1000);
    write("day=2/part-0.parquet", "bbbb", 1000);
    List<InputPartitions.Partition> before = list();
    assertEquals(before, list(), "listing twice gives the same fingerprints");
    // Same name and length, other content and time: the local file system has no checksum, so
    // the modification time tells.
    write("day=1/part-0.parquet", "cccc", 2000);
    List<InputPartitions.Partition> after = list();
    assertNotEquals(before.get(0).fingerprint(), after.get(0).fingerprint());
    assertEquals(before.get(1).fingerprint(), after.get(1).fingerprint());
    // A file added to a partition changes it too.
    write("day=2/part-1.parquet", "b", 1000);
    assertNotEquals(before.get(1).fingerprint(), list().get(1).fingerprint());
  }

  @Test
  void rowsComeFromTheParquetFootersAndAFileThatIsNotParquetIsNamed() throws Exception {
    var spark = dev.ascribe.udf.SharedSpark.get();
    var mnist = dev.ascribe.core.data.Mnist.loadRange(
        dev.ascribe.core.data.DataRoot.resolve(java.util.Optional.empty()),
        dev.ascribe.core.data.Mnist.Split.TRAIN, 0, 30);
    Tables.writeInputRows(spark, mnist.range(0, 17), dir.resolve("day=1").toString(), true);
    Tables.writeInputRows(spark, mnist.range(17, 30), dir.resolve("day=2").toString(), true);
    List<InputPartitions.Partition> parts = list();
    assertEquals(17, InputPartitions.rows(parts.get(0), new Configuration()));
    assertEquals(13, InputPartitions.rows(parts.get(1), new Configuration()));
    write("day=3/part-0.parquet", "not parquet", 1000);
    var e = assertThrows(java.io.UncheckedIOException.class,
        () -> InputPartitions.rows(list().get(2), new Configuration()));
    assertTrue(e.getMessage().contains("day=3/part-0.parquet: cannot read its Parquet footer"),
        e.getMessage());
  }

  @Test
  void aMissingOrEmptyTableIsNamed() throws Exception {
    String missing = dir.resolve("nope").toUri().toString();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> InputPartitions.list(missing, new Configuration()));
    assertTrue(e.getMessage().startsWith(missing + ": no such table folder"), e.getMessage());
    write("day=1/_SUCCESS", "", 1000);
    e = assertThrows(IllegalArgumentException.class, this::list);
    assertTrue(e.getMessage().contains("holds no data file"), e.getMessage());
  }
}
