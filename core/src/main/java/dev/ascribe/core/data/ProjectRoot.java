package dev.ascribe.core.data;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Finds the Ascribe project root: the folder holding the parent {@code pom.xml} (artifactId {@code
 * ascribe-parent}). Relative data paths are resolved against it, so results do not depend on the
 * working directory (Maven runs module tests from the module's folder).
 */
public final class ProjectRoot {
  /** System property that names the project root explicitly, e.g. {@code -Dascribe.home=/opt/x}. */
  public static final String PROPERTY = "ascribe.home";

  /** The artifactId of the parent pom that marks the project root. */
  public static final String PARENT_ARTIFACT_ID = "ascribe-parent";

  private ProjectRoot() {}

  /**
   * Finds the project root: the system property {@code ascribe.home} if set; else the first
   * ancestor of this class's code location (e.g. {@code core/target/classes} or a jar in {@code
   * core/target}) that holds the parent pom; else the first such ancestor of the working directory.
   *
   * @return the absolute, normalized project root
   * @throws IllegalStateException if none is found
   */
  public static Path find() {
    return find(Optional.ofNullable(System.getProperty(PROPERTY)), codeLocation(),
        Path.of("").toAbsolutePath());
  }

  /** {@link #find()} with its inputs explicit, for tests. */
  static Path find(Optional<String> home, Optional<Path> codeLocation, Path workingDir) {
    if (home.isPresent()) {
      Path dir = workingDir.resolve(home.get()).toAbsolutePath().normalize();
      if (!Files.isDirectory(dir)) {
        throw new IllegalStateException("-D" + PROPERTY + "=" + home.get() + ": " + dir
            + " is not a directory: expected the Ascribe project root (the folder of the parent"
            + " pom.xml); fix or remove the property");
      }
      return dir;
    }
    Optional<Path> found = codeLocation.flatMap(ProjectRoot::searchUp);
    if (found.isEmpty()) {
      found = searchUp(workingDir);
    }
    return found.orElseThrow(() -> new IllegalStateException("cannot find the Ascribe project root:"
        + " no folder with a pom.xml whose artifactId is " + PARENT_ARTIFACT_ID + " above the code"
        + " location " + codeLocation.map(Path::toString).orElse("(unknown)")
        + " or the working directory " + workingDir + "; set -D" + PROPERTY + "=<project root>"));
  }

  /** The first directory at or above {@code start} (a folder or a file) that is a project root. */
  static Optional<Path> searchUp(Path start) {
    Path dir = start.toAbsolutePath().normalize();
    if (!Files.isDirectory(dir)) {
      dir = dir.getParent(); // a jar: start from the folder holding it
    }
    for (; dir != null; dir = dir.getParent()) {
      if (isProjectRoot(dir)) {
        return Optional.of(dir);
      }
    }
    return Optional.empty();
  }

  /**
   * Whether {@code dir} holds the parent pom. The pom's own artifactId is checked, not any
   * mention of it: every module pom names {@code ascribe-parent} inside its {@code <parent>}.
   */
  static boolean isProjectRoot(Path dir) {
    Path pom = dir.resolve("pom.xml");
    if (!Files.isRegularFile(pom)) {
      return false;
    }
    try {
      Element project = newBuilder().parse(pom.toFile()).getDocumentElement();
      for (Node n = project.getFirstChild(); n != null; n = n.getNextSibling()) {
        if (n instanceof Element e && "artifactId".equals(e.getTagName())) {
          return PARENT_ARTIFACT_ID.equals(e.getTextContent().trim());
        }
      }
      return false;
    } catch (SAXException | IOException e) {
      // An unreadable pom.xml is some other project's; keep walking up.
      return false;
    }
  }

  private static DocumentBuilder newBuilder() {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      // A pom has no DTD; refusing one keeps the parser from fetching anything.
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
      DocumentBuilder builder = factory.newDocumentBuilder();
      builder.setErrorHandler(new DefaultHandler()); // throw on fatal errors, print nothing
      return builder;
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException("the JDK's XML parser does not support disabling DTDs", e);
    }
  }

  private static Optional<Path> codeLocation() {
    CodeSource source = ProjectRoot.class.getProtectionDomain().getCodeSource();
    if (source == null || source.getLocation() == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Path.of(source.getLocation().toURI()));
    } catch (URISyntaxException | FileSystemNotFoundException | IllegalArgumentException e) {
      // Not a plain file location (e.g. a nested jar): fall back to the working directory.
      return Optional.empty();
    }
  }
}
