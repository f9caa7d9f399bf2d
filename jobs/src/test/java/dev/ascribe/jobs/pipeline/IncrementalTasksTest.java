package dev.ascribe.jobs.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class IncrementalTasksTest {
  @Test
  void aPartitionGetsUpToOneTaskPerCoreOfAtLeast2000RowsAndOnePer20000Rows() {
    assertEquals(1, Incremental.partitionTasks(2, 0, 0));
    assertEquals(1, Incremental.partitionTasks(2, 0, 600));
    assertEquals(2, Incremental.partitionTasks(2, 0, 6_000), "2 cores, 3 tasks' worth of rows");
    assertEquals(3, Incremental.partitionTasks(100, 0, 6_000), "at least 2,000 rows a task");
    assertEquals(50, Incremental.partitionTasks(2, 0, 1_000_000), "at most 20,000 rows a task");
    assertEquals(7, Incremental.partitionTasks(2, 7, 6_000), "the partitions option");
  }
}
