package dev.ascribe.core.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalFolderTest {
  @TempDir Path dir;

  @Test
  void writesAtomicallyOverAnEarlierFileAndLeavesNoTemporaryFile() throws Exception {
    Folder folder = new LocalFolder(dir.resolve("a/b"));
    assertEquals(List.of(), folder.list(), "a folder that does not exist is empty");
    assertFalse(folder.exists("x.json"));
    folder.write("x.json", out -> out.write(new byte[] {1, 2, 3}));
    folder.write("x.json", out -> out.write(new byte[] {4, 5}));
    folder.folder("sub").write("y", out -> out.write(7));
    assertArrayEquals(new byte[] {4, 5}, Files.readAllBytes(dir.resolve("a/b/x.json")));
    assertEquals(List.of("sub", "x.json"), folder.list());
    try (InputStream in = folder.open("x.json")) {
      assertArrayEquals(new byte[] {4, 5}, in.readAllBytes());
    }
    assertEquals(dir.resolve("a/b/x.json").toString(), folder.file("x.json"));
    assertEquals(dir.resolve("a/b").toUri().toString(), folder.uri());
  }

  @Test
  void aFailedWriteKeepsTheEarlierFile() throws Exception {
    Folder folder = new LocalFolder(dir);
    folder.write("x", out -> out.write(1));
    assertThrows(IOException.class, () -> folder.write("x", out -> {
      out.write(2);
      throw new IOException("disk full");
    }));
    assertArrayEquals(new byte[] {1}, Files.readAllBytes(dir.resolve("x")));
    assertEquals(List.of("x"), folder.list(), "no temporary file left");
  }

  @Test
  void openingAMissingFileNamesIt() {
    NoSuchFileException e = assertThrows(NoSuchFileException.class,
        () -> new LocalFolder(dir).open("missing.json"));
    assertTrue(e.getMessage().contains(dir.resolve("missing.json").toString()), e.getMessage());
  }
}
