package dev.ascribe.core.linalg;

import static dev.ascribe.core.linalg.Fixtures.gaussianRows;
import static dev.ascribe.core.linalg.Fixtures.kernelOf;
import static dev.ascribe.core.linalg.FactorizedTest.toDoubleRows;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ascribe.core.linalg.Factorized.Method;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Save/load of factored kernels: exact round trips and clear errors for damaged files. */
class KernelFileTest {
  @TempDir Path dir;

  @Test
  void choleskyRoundTripIsBitIdentical() throws IOException {
    Factorized original = kernelOf(gaussianRows(20, 8, 41)).factorize(0.05);
    assertEquals(Method.CHOLESKY, original.method());
    assertRoundTrip(original, dir.resolve("kernel/model=0/kernel.bin"));
  }

  @Test
  void pseudoInverseRoundTripIsBitIdentical() throws IOException {
    Factorized original = kernelOf(gaussianRows(3, 8, 42)).factorize(0);
    assertEquals(Method.EIGEN_PSEUDO_INVERSE, original.method());
    Factorized back = assertRoundTrip(original, dir.resolve("kernel/model=1/kernel.bin"));
    assertEquals(original.rank(), back.rank());
    assertEquals(original.kernel().eigenBasis(), back.kernel().eigenBasis());
  }

  @Test
  void truncatedFileSaysSo() throws IOException {
    byte[] bytes = bytesOf(kernelOf(gaussianRows(20, 8, 43)).factorize(0.1));
    for (int length : new int[] {0, 5, 20, 40, 500, bytes.length - 8, bytes.length - 1}) {
      IOException e = assertThrows(IOException.class,
          () -> Factorized.load(new ByteArrayInputStream(Arrays.copyOf(bytes, length))));
      assertTrue(e.getMessage().startsWith("kernel file: truncated, ended while reading "),
          length + ": " + e.getMessage());
    }
    IOException inF = assertThrows(IOException.class,
        () -> Factorized.load(new ByteArrayInputStream(Arrays.copyOf(bytes, 200))));
    assertTrue(inF.getMessage().contains("F = G/n (8 x 8)"), inF.getMessage());
  }

  @Test
  void otherVersionMagicOrDimensionIsRefused() throws IOException {
    byte[] bytes = bytesOf(kernelOf(gaussianRows(20, 8, 44)).factorize(0.1));
    byte[] version = bytes.clone();
    ByteBuffer.wrap(version).putInt(8, 99);
    assertEquals("kernel file: format version 99, expected 1 (written by another Ascribe version:"
        + " rerun the kernel stage)", loadError(version, -1));
    byte[] magic = bytes.clone();
    magic[0] = 'X';
    assertEquals("kernel file: not an Ascribe kernel file (starts with 'XSCRKRNL', expected"
        + " 'ASCRKRNL')", loadError(magic, -1));
    assertEquals("kernel file: k = 8, expected 16 (the projection dim of this run): the kernel was"
        + " computed with other options; rerun the kernel stage", loadError(bytes, 16));
    assertEquals(8, Factorized.load(new ByteArrayInputStream(bytes), 8).k());
  }

  @Test
  void damagedOrPaddedFileIsRefused() throws IOException {
    byte[] bytes = bytesOf(kernelOf(gaussianRows(20, 8, 45)).factorize(0.1));
    byte[] flipped = bytes.clone();
    flipped[bytes.length - 100] ^= 0x01;
    assertTrue(loadError(flipped, -1).startsWith("kernel file: checksum "));
    byte[] padded = Arrays.copyOf(bytes, bytes.length + 1);
    assertEquals("kernel file: unexpected bytes after the checksum", loadError(padded, -1));
  }

  @Test
  void javaSerializationRebuildsAWorkingFactorization() throws Exception {
    for (Factorized original : new Factorized[] {
        kernelOf(gaussianRows(20, 6, 46)).factorize(0.1),
        kernelOf(gaussianRows(2, 6, 47)).factorize(0)}) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
        out.writeObject(original);
      }
      Factorized back;
      try (ObjectInputStream in =
          new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
        back = (Factorized) in.readObject();
      }
      assertEquals(original.method(), back.method());
      double[][] queries = toDoubleRows(gaussianRows(2, 6, 48));
      assertArrayEquals(original.solve(queries), back.solve(queries), original.method().toString());
    }
  }

  private static Factorized assertRoundTrip(Factorized original, Path file) throws IOException {
    Files.createDirectories(file.getParent());
    try (OutputStream out = Files.newOutputStream(file)) {
      original.save(out);
    }
    Factorized back;
    try (InputStream in = Files.newInputStream(file)) {
      back = Factorized.load(in, original.k());
    }
    assertEquals(original.method(), back.method());
    assertEquals(original.lambda(), back.lambda());
    assertEquals(original.kernel().count(), back.kernel().count());
    assertArrayEquals(original.kernel().meanGram(), back.kernel().meanGram());
    double[][] queries = toDoubleRows(gaussianRows(3, original.k(), 49));
    assertArrayEquals(original.solve(queries), back.solve(queries));
    assertEquals(original.quadraticForm(queries[0]), back.quadraticForm(queries[0]));
    assertArrayEquals(Files.readAllBytes(file), bytesOf(back), "saving again gives the same bytes");
    return back;
  }

  private static byte[] bytesOf(Factorized f) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    f.save(out);
    return out.toByteArray();
  }

  private static String loadError(byte[] bytes, int expectedK) {
    return assertThrows(IOException.class,
        () -> Factorized.load(new ByteArrayInputStream(bytes), expectedK)).getMessage();
  }
}
