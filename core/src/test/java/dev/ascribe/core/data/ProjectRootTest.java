package dev.ascribe.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding the project root from the code location, the working directory or the property. */
class ProjectRootTest {
  private static final String PARENT_POM = "<project><modelVersion>4.0.0</modelVersion>"
      + "<groupId>dev.ascribe</groupId><artifactId>ascribe-parent</artifactId></project>";
  private static final String MODULE_POM = "<project><parent><groupId>dev.ascribe</groupId>"
      + "<artifactId>ascribe-parent</artifactId></parent>"
      + "<artifactId>ascribe-core</artifactId></project>";

  @TempDir Path tmp;

  private Path root;
  private Path classes;

  @BeforeEach
  void layout() throws IOException {
    root = Files.createDirectories(tmp.resolve("proj"));
    Files.writeString(root.resolve("pom.xml"), PARENT_POM);
    Path core = Files.createDirectories(root.resolve("core"));
    Files.writeString(core.resolve("pom.xml"), MODULE_POM);
    classes = Files.createDirectories(core.resolve("target/classes"));
  }

  @Test
  void modulePomThatNamesTheParentIsNotTheRoot() {
    assertTrue(ProjectRoot.isProjectRoot(root));
    assertFalse(ProjectRoot.isProjectRoot(root.resolve("core")));
    assertEquals(Optional.of(root), ProjectRoot.searchUp(classes));
  }

  @Test
  void aJarLocationSearchesFromItsFolder() throws IOException {
    Path jar = Files.writeString(root.resolve("core/target/ascribe-core.jar"), "not a real jar");
    assertEquals(Optional.of(root), ProjectRoot.searchUp(jar));
  }

  @Test
  void codeLocationComesFirstThenTheWorkingDirectory() throws IOException {
    Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere/lib"));
    assertEquals(root, ProjectRoot.find(Optional.empty(), Optional.of(classes), elsewhere));
    assertEquals(root, ProjectRoot.find(Optional.empty(), Optional.of(elsewhere), classes));
    assertEquals(root, ProjectRoot.find(Optional.empty(), Optional.empty(), root.resolve("core")));
  }

  @Test
  void thePropertyWinsAndIsResolvedAgainstTheWorkingDirectory() throws IOException {
    Path other = Files.createDirectories(tmp.resolve("other"));
    assertEquals(other, ProjectRoot.find(Optional.of(other.toString()), Optional.of(classes), tmp));
    assertEquals(other, ProjectRoot.find(Optional.of("other"), Optional.of(classes), tmp));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> ProjectRoot.find(Optional.of("missing"), Optional.of(classes), tmp));
    assertTrue(e.getMessage().contains("-Dascribe.home=missing"), e.getMessage());
  }

  @Test
  void nothingFoundSaysHowToSetIt() throws IOException {
    Path lonely = Files.createDirectories(tmp.resolve("lonely/dir"));
    Files.writeString(lonely.resolve("pom.xml"), "<<< not xml");
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> ProjectRoot.find(Optional.empty(), Optional.of(lonely), lonely));
    assertTrue(e.getMessage().contains(lonely.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("-Dascribe.home=<project root>"), e.getMessage());
  }

  @Test
  void theRealRootHoldsTheParentPomAndThisModule() throws URISyntaxException {
    Path found = ProjectRoot.find();
    assertTrue(ProjectRoot.isProjectRoot(found), found + " does not hold the parent pom");
    assertTrue(Files.isRegularFile(found.resolve("core/pom.xml")));
    Path testClasses = Path.of(
        ProjectRootTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    assertTrue(testClasses.startsWith(found), testClasses + " is not under " + found);
  }
}
