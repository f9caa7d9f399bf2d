package dev.ascribe.core.linalg;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The kernel file: one factored kernel of one model, big-endian, version {@value #VERSION}.
 *
 * <pre>
 * magic      8 bytes  "ASCRKRNL"
 * version    int      1
 * k          int      feature dimension
 * n          long     feature rows behind F
 * lambda     double   absolute λ on the mean scale
 * method     UTF      "cholesky" | "eigen-pseudo-inverse"
 * F          double[k(k+1)/2]  upper triangle of G/n, row by row
 * factor     cholesky: double[k(k+1)/2], lower triangle of L row by row;
 *            eigen:    double[k] eigenvalues of F (descending), double[k·k] U row-major
 * checksum   long     CRC32 of every byte before it
 * </pre>
 *
 * Doubles are stored bit for bit, so a round trip is exact. The pseudo-inverse weights are
 * recomputed from the stored eigenvalues by the same rule, so they are exact too.
 */
final class KernelFormat {
  static final int VERSION = 1;
  private static final byte[] MAGIC = "ASCRKRNL".getBytes(StandardCharsets.US_ASCII);

  private KernelFormat() {}

  static void write(Factorized f, OutputStream out) throws IOException {
    CRC32 crc = new CRC32();
    // Not closed: closing would close the caller's stream.
    DataOutputStream data =
        new DataOutputStream(new CheckedOutputStream(new BufferedOutputStream(out, 1 << 16), crc));
    int k = f.k();
    data.write(MAGIC);
    data.writeInt(VERSION);
    data.writeInt(k);
    data.writeLong(f.kernel().count());
    data.writeDouble(f.lambda());
    data.writeUTF(f.method().toString());
    double[] mean = f.kernel().meanView();
    for (int a = 0; a < k; a++) {
      for (int b = a; b < k; b++) {
        data.writeDouble(mean[a * k + b]);
      }
    }
    if (f.method() == Factorized.Method.CHOLESKY) {
      double[] l = f.lowerView();
      for (int i = 0; i < k; i++) {
        for (int j = 0; j <= i; j++) {
          data.writeDouble(l[i * k + j]);
        }
      }
    } else {
      for (double v : f.basis().valuesView()) {
        data.writeDouble(v);
      }
      for (double v : f.basis().vectorsView()) {
        data.writeDouble(v);
      }
    }
    data.writeLong(crc.getValue());
    data.flush();
  }

  static Factorized read(InputStream in, int expectedK) throws IOException {
    CRC32 crc = new CRC32();
    DataInputStream data =
        new DataInputStream(new CheckedInputStream(new BufferedInputStream(in, 1 << 16), crc));
    String part = "the header";
    try {
      byte[] magic = new byte[MAGIC.length];
      data.readFully(magic);
      if (!Arrays.equals(magic, MAGIC)) {
        throw new IOException("kernel file: not an Ascribe kernel file (starts with '"
            + new String(magic, StandardCharsets.ISO_8859_1) + "', expected 'ASCRKRNL')");
      }
      int version = data.readInt();
      if (version != VERSION) {
        throw new IOException("kernel file: format version " + version + ", expected " + VERSION
            + " (written by another Ascribe version: rerun the kernel stage)");
      }
      int k = data.readInt();
      long n = data.readLong();
      double lambda = data.readDouble();
      String method = data.readUTF();
      if (k < 1 || k > 46_340 || n < 1 || !(lambda >= 0) || Double.isInfinite(lambda)) {
        throw new IOException("kernel file: corrupt header (k = " + k + ", n = " + n
            + ", lambda = " + lambda + ")");
      }
      if (expectedK >= 0 && k != expectedK) {
        throw new IOException("kernel file: k = " + k + ", expected " + expectedK
            + " (the projection dim of this run): the kernel was computed with other options;"
            + " rerun the kernel stage");
      }
      part = "F = G/n (" + k + " x " + k + ")";
      double[] mean = new double[k * k];
      for (int a = 0; a < k; a++) {
        for (int b = a; b < k; b++) {
          double v = data.readDouble();
          mean[a * k + b] = v;
          mean[b * k + a] = v;
        }
      }
      Kernel kernel;
      try {
        kernel = Kernel.ofMean(mean, k, n);
      } catch (IllegalArgumentException e) {
        throw new IOException("kernel file: corrupt F: " + e.getMessage(), e);
      }
      Factorized result;
      if (method.equals(Factorized.Method.CHOLESKY.toString())) {
        part = "the Cholesky factor";
        double[] lower = new double[k * k];
        for (int i = 0; i < k; i++) {
          for (int j = 0; j <= i; j++) {
            lower[i * k + j] = data.readDouble();
          }
        }
        result = Factorized.ofCholesky(kernel, lambda, lower);
      } else if (method.equals(Factorized.Method.EIGEN_PSEUDO_INVERSE.toString())) {
        part = "the eigenbasis";
        double[] values = readDoubles(data, k);
        double[] vectors = readDoubles(data, k * k);
        EigenBasis basis;
        try {
          basis = new EigenBasis(values, vectors);
        } catch (IllegalArgumentException e) {
          throw new IOException("kernel file: corrupt eigenbasis: " + e.getMessage(), e);
        }
        kernel.seedBasis(basis);
        result = Factorized.ofEigen(kernel, lambda, basis);
      } else {
        throw new IOException("kernel file: unknown factorization method '" + method
            + "', expected 'cholesky' or 'eigen-pseudo-inverse'");
      }
      part = "the checksum";
      long computed = crc.getValue();
      long stored = data.readLong();
      if (stored != computed) {
        throw new IOException("kernel file: checksum " + Long.toHexString(stored) + " differs from"
            + " the content's " + Long.toHexString(computed) + ": the file is corrupted; rerun the"
            + " kernel stage");
      }
      if (data.read() != -1) {
        throw new IOException("kernel file: unexpected bytes after the checksum");
      }
      return result;
    } catch (EOFException e) {
      throw new IOException("kernel file: truncated, ended while reading " + part
          + " (an interrupted write?): rerun the kernel stage", e);
    }
  }

  private static double[] readDoubles(DataInputStream data, int count) throws IOException {
    double[] out = new double[count];
    for (int i = 0; i < count; i++) {
      out[i] = data.readDouble();
    }
    return out;
  }
}
