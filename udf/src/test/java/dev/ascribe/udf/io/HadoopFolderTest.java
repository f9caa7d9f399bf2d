package dev.ascribe.udf.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ascribe.core.storage.Folder;
import dev.ascribe.core.storage.LocalFolder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link HadoopFolder} through Hadoop's own local file system (the code path HDFS takes; the
 * MiniDFSCluster runs are in jobs' IncrementalRunTest), and {@link Folders}' reading of addresses.
 */
class HadoopFolderTest {
  @TempDir Path dir;

  private Folder folder(String sub) throws IOException {
    return new HadoopFolder(new org.apache.hadoop.fs.Path(dir.resolve(sub).toUri()),
        new Configuration());
  }

  @Test
  void writesAtomicallyOverAnEarlierFileAndReadsItBack() throws Exception {
    Folder folder = folder("a");
    assertEquals(List.of(), folder.list(), "a folder that does not exist is empty");
    folder.write("x.json", out -> out.write(new byte[] {1, 2, 3}));
    folder.write("x.json", out -> out.write(new byte[] {4, 5}));
    folder.folder("sub").write("y", out -> out.write(7));
    assertTrue(folder.exists("x.json"));
    assertFalse(folder.exists("z"));
    assertArrayEquals(new byte[] {4, 5}, Files.readAllBytes(dir.resolve("a/x.json")));
    try (InputStream in = folder.open("x.json")) {
      assertArrayEquals(new byte[] {4, 5}, in.readAllBytes());
    }
    List<String> names = folder.list();
    assertTrue(names.containsAll(List.of("sub", "x.json")), names.toString());
    assertTrue(names.stream().noneMatch(n -> n.contains(".tmp")), "no temporary file: " + names);
    assertEquals("file:" + dir.resolve("a/x.json"), folder.file("x.json"));
    assertEquals("file:" + dir.resolve("a"), folder.uri());
    assertThrows(UnsupportedOperationException.class, folder::local);
  }

  @Test
  void aFailedWriteKeepsTheEarlierFileAndAMissingOneIsNamed() throws Exception {
    Folder folder = folder("b");
    folder.write("x", out -> out.write(1));
    assertThrows(IOException.class, () -> folder.write("x", out -> {
      out.write(2);
      throw new IOException("disk full");
    }));
    assertArrayEquals(new byte[] {1}, Files.readAllBytes(dir.resolve("b/x")));
    assertTrue(folder.list().stream().noneMatch(n -> n.contains(".tmp")), "no temporary file");
    NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> folder.open("gone"));
    assertEquals("file:" + dir.resolve("b/gone"), e.getMessage());
  }

  @Test
  void addressesArePathsFileUrisOrHadoopUris() throws Exception {
    assertEquals(Optional.of(Path.of("runs/lr")), Folders.local("runs/lr"));
    assertEquals(Optional.of(Path.of("/data/x y")), Folders.local("/data/x y"));
    assertEquals(Optional.of(Path.of("/data/runs")), Folders.local("file:/data/runs"));
    assertEquals(Optional.of(Path.of("/data/runs")), Folders.local("file:///data/runs"));
    assertEquals(Optional.empty(), Folders.local("hdfs://nn:8020/runs"));
    assertFalse(Folders.isUri("C:/runs"), "a Windows drive is a path");
    IllegalArgumentException relative = assertThrows(IllegalArgumentException.class,
        () -> Folders.local("file:runs"));
    assertEquals("file:runs: a file: URI needs an absolute path, e.g. file:/data/runs/nightly",
        relative.getMessage());
    assertInstanceOf(LocalFolder.class, Folders.of(dir.toUri().toString(), () -> {
      throw new AssertionError("no Hadoop configuration for a local folder");
    }));
  }
}
