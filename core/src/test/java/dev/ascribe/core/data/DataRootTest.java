package dev.ascribe.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Precedence and relative-path resolution of the data root, on temporary folders. */
class DataRootTest {
  @TempDir Path tmp;

  private Path project;
  private Path shared;
  private Path local;
  private Path explicit;
  private Path fromEnv;

  @BeforeEach
  void layout() throws IOException {
    project = Files.createDirectories(tmp.resolve("proj"));
    shared = Files.createDirectories(tmp.resolve("shared/data"));
    local = Files.createDirectories(project.resolve("data"));
    explicit = Files.createDirectories(tmp.resolve("explicit"));
    fromEnv = Files.createDirectories(tmp.resolve("env"));
  }

  @Test
  void explicitBeatsEnvBeatsSharedBeatsLocal() throws IOException {
    Map<String, String> env = Map.of(DataRoot.ENV, fromEnv.toString());
    assertEquals(explicit, DataRoot.resolve(Optional.of(explicit.toString()), env, project));
    assertEquals(fromEnv, DataRoot.resolve(Optional.empty(), env, project));
    assertEquals(shared, DataRoot.resolve(Optional.empty(), Map.of(), project));
    Files.delete(shared);
    assertEquals(local, DataRoot.resolve(Optional.empty(), Map.of(), project));
  }

  @Test
  void blankEnvCountsAsUnset() {
    assertEquals(shared, DataRoot.resolve(Optional.empty(), Map.of(DataRoot.ENV, " "), project));
  }

  @Test
  void relativePathsResolveAgainstTheProjectRootNotTheWorkingDirectory() throws IOException {
    Path mine = Files.createDirectories(project.resolve("mine"));
    assertEquals(mine, DataRoot.resolve(Optional.of("mine"), Map.of(), project));
    assertEquals(explicit, DataRoot.resolve(Optional.of("../explicit"), Map.of(), project));
    assertEquals(
        fromEnv, DataRoot.resolve(Optional.empty(), Map.of(DataRoot.ENV, "../env"), project));
  }

  @Test
  void aGivenPathThatDoesNotExistIsAnErrorNotAFallThrough() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DataRoot.resolve(Optional.of("nope"), Map.of(), project));
    assertContains(e.getMessage(), "--data given \"nope\"");
    assertContains(e.getMessage(), project.resolve("nope") + " does not exist");
    e = assertThrows(IllegalArgumentException.class,
        () -> DataRoot.resolve(Optional.empty(), Map.of(DataRoot.ENV, "/no/such/dir"), project));
    assertContains(e.getMessage(), "ASCRIBE_DATA_DIR=\"/no/such/dir\"");
    e = assertThrows(IllegalArgumentException.class,
        () -> DataRoot.resolve(Optional.of(""), Map.of(), project));
    assertContains(e.getMessage(), "expected a directory path");
  }

  @Test
  void noCandidateListsEveryCandidateAndHowToSetIt() throws IOException {
    Files.delete(shared);
    Files.delete(local);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DataRoot.resolve(Optional.empty(), Map.of(), project));
    assertContains(e.getMessage(), shared.toString());
    assertContains(e.getMessage(), local.toString());
    assertContains(e.getMessage(), "--data DIR");
    assertContains(e.getMessage(), "ASCRIBE_DATA_DIR=DIR");
  }

  @Test
  void theRealDataRootHoldsTheBundledDatasets() {
    Path root = DataRoot.resolve(Optional.empty());
    assertTrue(root.isAbsolute());
    assertTrue(Files.isDirectory(root.resolve("mnist")), root + " has no mnist/");
    assertTrue(Files.isDirectory(root.resolve("cifar10")), root + " has no cifar10/");
  }

  @Test
  void requireFileNamesThePathAndHowToSetTheRoot() {
    Path missing = tmp.resolve("mnist/x.gz");
    NoSuchFileException e = assertThrows(
        NoSuchFileException.class, () -> DataRoot.requireFile(missing, "thing (x.gz)"));
    assertEquals(missing.toString(), e.getFile());
    assertContains(e.getMessage(), "expected the thing (x.gz) here");
    assertContains(e.getMessage(), "--data");
  }

  private static void assertContains(String message, String expected) {
    assertTrue(message.contains(expected), () -> "expected \"" + expected + "\" in: " + message);
  }
}
