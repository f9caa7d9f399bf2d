package dev.ascribe.udf.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileChecksum;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * The partitions of an input table folder on any Hadoop file system, each with a fingerprint: a
 * partition is a folder holding data files (e.g. {@code day=2026-12-01/part-0.parquet}; files at
 * the table's top level form the partition {@value #TOP}). Files and folders whose names start
 * with {@code _} or {@code .} are skipped, as Spark skips them ({@code _SUCCESS}, {@code
 * _temporary/}, checksum files).
 *
 * <p>A partition's fingerprint is a SHA-256 over each of its files' relative path, length,
 * modification time and, where the file system gives one ({@link FileSystem#getFileChecksum}; HDFS
 * does, the local file system does not), content checksum. A partition rewritten in place, even to
 * the same length, therefore gets a new fingerprint.
 */
public final class InputPartitions {
  /** The key of the files at the table's top level. */
  public static final String TOP = ".";

  private InputPartitions() {}

  /**
   * One partition of a table.
   *
   * @param key the folder relative to the table root ({@value #TOP} for the top level), e.g.
   *     {@code day=2026-12-01}
   * @param files its data files, full paths, in name order
   * @param bytes the sum of their lengths
   * @param fingerprint hex SHA-256 of the files' paths, lengths, modification times and checksums
   */
  public record Partition(String key, List<String> files, long bytes, String fingerprint) {}

  /**
   * The partitions of the table at {@code table}, in ascending key order (the canonical order).
   *
   * @throws IllegalArgumentException naming the table if it does not exist, is a file, or holds
   *     no data file
   */
  public static List<Partition> list(String table, Configuration conf) {
    Path root = new Path(table);
    try {
      FileSystem fs = root.getFileSystem(conf);
      if (!fs.exists(root)) {
        throw new IllegalArgumentException(table + ": no such table folder (expected a folder of"
            + " Parquet files, or of partition folders such as day=2026-12-01/)");
      }
      if (!fs.getFileStatus(root).isDirectory()) {
        throw new IllegalArgumentException(table + ": is a file: an incremental run reads a"
            + " table folder of Parquet files or partition folders");
      }
      Path qualifiedRoot = fs.makeQualified(root);
      String prefix = qualifiedRoot.toUri().getPath();
      prefix = prefix.endsWith("/") ? prefix : prefix + "/";
      Map<String, List<LocatedFileStatus>> byFolder = new TreeMap<>();
      RemoteIterator<LocatedFileStatus> files = fs.listFiles(qualifiedRoot, true);
      while (files.hasNext()) {
        LocatedFileStatus f = files.next();
        String relative = f.getPath().toUri().getPath().substring(prefix.length());
        if (hidden(relative)) {
          continue;
        }
        int slash = relative.lastIndexOf('/');
        String key = slash < 0 ? TOP : relative.substring(0, slash);
        byFolder.computeIfAbsent(key, k -> new ArrayList<>()).add(f);
      }
      if (byFolder.isEmpty()) {
        throw new IllegalArgumentException(table + ": holds no data file (names starting with _"
            + " or . are skipped): expected Parquet files with columns id, features, label");
      }
      List<Partition> out = new ArrayList<>();
      for (Map.Entry<String, List<LocatedFileStatus>> e : byFolder.entrySet()) {
        out.add(partition(fs, prefix, e.getKey(), e.getValue()));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(table + ": cannot list the table's files", e);
    }
  }

  /**
   * The rows of a partition's Parquet files, from their footers: no Spark job, no data read.
   *
   * @throws UncheckedIOException naming the file whose footer cannot be read
   */
  public static long rows(Partition partition, Configuration conf) {
    long rows = 0;
    for (String file : partition.files()) {
      try (org.apache.parquet.hadoop.ParquetFileReader reader =
          org.apache.parquet.hadoop.ParquetFileReader.open(
              org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(new Path(file), conf))) {
        rows += reader.getRecordCount();
      } catch (IOException | RuntimeException e) {
        throw new UncheckedIOException(file + ": cannot read its Parquet footer (is it a Parquet"
            + " file?): " + e.getMessage(), e instanceof IOException io ? io : new IOException(e));
      }
    }
    return rows;
  }

  /** True for a path with a part that Spark skips (starting with _ or .). */
  private static boolean hidden(String relative) {
    for (String part : relative.split("/")) {
      if (part.startsWith("_") || part.startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  private static Partition partition(FileSystem fs, String prefix, String key,
      List<LocatedFileStatus> files) throws IOException {
    files.sort((a, b) -> a.getPath().getName().compareTo(b.getPath().getName()));
    MessageDigest sha = sha256();
    List<String> paths = new ArrayList<>();
    long bytes = 0;
    for (LocatedFileStatus f : files) {
      FileChecksum checksum = fs.getFileChecksum(f.getPath());
      String line = f.getPath().toUri().getPath().substring(prefix.length()) + "\t" + f.getLen()
          + "\t" + f.getModificationTime() + "\t"
          + (checksum == null ? "-" : checksum.getAlgorithmName() + ":"
              + HexFormat.of().formatHex(checksum.getBytes())) + "\n";
      sha.update(line.getBytes(StandardCharsets.UTF_8));
      paths.add(f.getPath().toString());
      bytes += f.getLen();
    }
    return new Partition(key, List.copyOf(paths), bytes, HexFormat.of().formatHex(sha.digest()));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256, which every Java SE has", e);
    }
  }
}
