package dev.ascribe.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ascribe.core.provenance.Hashes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataChecksumsTest {
  @TempDir Path root;
  @TempDir Path cacheDir;

  @Test
  void aDamagedFileIsNamedAndAVerifiedOneIsNotReadAgain() throws Exception {
    Path images = Files.createDirectories(root.resolve("mnist")).resolve("images.gz");
    byte[] good = "twelve bytes".getBytes();
    Files.write(images, good);
    Files.writeString(root.resolve(DataChecksums.SUMS), Hashes.sha256(good) + "  mnist/images.gz\n"
        + "0".repeat(64) + "  cifar10/absent.bin\n");
    Path cache = cacheDir.resolve("sums.json");
    DataChecksums.verify(root, cache);
    assertTrue(Files.readString(cache).contains(images.toAbsolutePath().toString()));

    // Same size and time: trusted from the cache, not read (this damage goes unseen by design).
    FileTime time = Files.getLastModifiedTime(images);
    Files.write(images, "twelve BYTES".getBytes());
    Files.setLastModifiedTime(images, time);
    DataChecksums.verify(root, cache);

    // Cut short: a new size, so hashed again and named.
    Files.write(images, "twelve".getBytes());
    MalformedDataException e = assertThrows(MalformedDataException.class,
        () -> DataChecksums.verify(root, cache));
    assertEquals(images, e.file());
    assertTrue(e.getMessage().startsWith(images + ": SHA-256 " + Hashes.sha256("twelve"
        .getBytes()) + " does not match " + root.resolve(DataChecksums.SUMS) + " ("
        + Hashes.sha256(good) + "): the file is damaged or cut short (6 bytes)"), e.getMessage());
  }

  @Test
  void aMalformedSumsLineIsNamed() throws Exception {
    Files.writeString(root.resolve(DataChecksums.SUMS), "abc  mnist/x\n");
    MalformedDataException e = assertThrows(MalformedDataException.class,
        () -> DataChecksums.verify(root, cacheDir.resolve("c.json")));
    assertTrue(e.getMessage().contains("line 1 is \"abc  mnist/x\": expected <64 hex digits>"),
        e.getMessage());
  }
}
