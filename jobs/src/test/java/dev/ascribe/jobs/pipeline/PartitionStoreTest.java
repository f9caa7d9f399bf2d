package dev.ascribe.jobs.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionStoreTest {
  @TempDir Path dir;

  private PartitionStore store() throws Exception {
    return new PartitionStore(dir.toUri().toString(), new Configuration());
  }

  @Test
  void aCommittedManifestReadsBackAndUnnamedEntriesAreRemoved() throws Exception {
    Files.createDirectories(dir.resolve("features/killed-increment"));
    TreeMap<String, PartitionStore.Entry> partitions = new TreeMap<>(Map.of(
        "day=1", new PartitionStore.Entry("f1", "e1", 10)));
    TreeMap<String, PartitionStore.Entry> queries = new TreeMap<>(Map.of(
        "hour=1", new PartitionStore.Entry("q1", "queries-1", 3)));
    Files.createDirectories(dir.resolve("features/e1"));
    Files.createDirectories(dir.resolve("features/queries-1"));
    PartitionStore.Manifest manifest = new PartitionStore.Manifest(PartitionStore.FORMAT, 1,
        Map.of("method", "trak"), queries, partitions, List.of());
    store().commit(manifest);
    assertEquals(manifest, store().read());
    try (var entries = Files.list(dir.resolve("features"))) {
      assertEquals(List.of("e1", "queries-1"), entries.map(p -> p.getFileName().toString())
          .sorted().toList());
    }
  }

  @Test
  void aManifestOfAnotherFormatMeansRebuildingAnUnreadableOneIsNamed() throws Exception {
    // Format 1 kept one query entry as an object where format 2 keeps a map of partitions.
    Files.writeString(dir.resolve("manifest-00000001.json"), "{\"format\": 1, \"sequence\": 1,"
        + " \"queries\": {\"fingerprint\": \"x\", \"id\": \"q\", \"rows\": 3},"
        + " \"partitions\": {}, \"history\": []}");
    assertNull(store().read(), "another format: the store is rebuilt");
    Files.writeString(dir.resolve("manifest-00000002.json"), "{\"format\": 2, \"queries\": [");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> store().read());
    assertTrue(e.getMessage().contains("manifest-00000002.json: not a readable manifest"),
        e.getMessage());
    assertTrue(e.getMessage().contains("to rebuild it from the inputs"), e.getMessage());
  }

  @Test
  void entriesMayShareIdsWhenTheirRangesOverlapOrOneIsNotKnown() {
    PartitionStore.Entry low = new PartitionStore.Entry("a", "a", 10, 0L, 99L);
    PartitionStore.Entry high = new PartitionStore.Entry("b", "b", 10, 100L, 199L);
    PartitionStore.Entry touching = new PartitionStore.Entry("c", "c", 10, 99L, 120L);
    PartitionStore.Entry unknown = new PartitionStore.Entry("d", "d", 10);
    assertTrue(!low.mayShareIds(high) && !high.mayShareIds(low));
    assertTrue(low.mayShareIds(touching) && touching.mayShareIds(high));
    assertTrue(unknown.mayShareIds(low) && high.mayShareIds(unknown));
  }
}
