package dev.ascribe.jobs.report;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A page written as XHTML (HTML that is also well-formed XML, so a plain XML parser checks it):
 * elements are opened and closed in order, every text and attribute value is escaped here and
 * nowhere else, and {@link #toString} refuses a page with an element left open.
 */
final class Xhtml {
  private final StringBuilder out = new StringBuilder();
  private final Deque<String> open = new ArrayDeque<>();

  /** Opens an element; {@code attributes} are name, value pairs. */
  Xhtml open(String name, String... attributes) {
    out.append('<').append(name);
    attributes(attributes);
    out.append('>');
    open.push(name);
    return this;
  }

  /** Closes the innermost open element, which must be {@code name}. */
  Xhtml close(String name) {
    String innermost = open.pop();
    if (!innermost.equals(name)) {
      throw new IllegalStateException("closing <" + name + "> while <" + innermost + "> is open");
    }
    out.append("</").append(name).append('>');
    return this;
  }

  /** An element holding only text. */
  Xhtml element(String name, String text, String... attributes) {
    return open(name, attributes).text(text).close(name);
  }

  /** An element with no content, such as {@code img}. */
  Xhtml empty(String name, String... attributes) {
    out.append('<').append(name);
    attributes(attributes);
    out.append(" />");
    return this;
  }

  /** Escaped text. */
  Xhtml text(String text) {
    out.append(escape(text));
    return this;
  }

  /**
   * Markup written verbatim: only the doctype and a fragment another {@code Xhtml} built (so
   * already escaped). Text inside {@code <style>} is not unescaped by browsers either, so the
   * style sheet goes through {@link #element} and must hold no {@code < > &} (ours holds none).
   */
  Xhtml raw(String markup) {
    out.append(markup);
    return this;
  }

  private void attributes(String... attributes) {
    if (attributes.length % 2 != 0) {
      throw new IllegalArgumentException("attributes come in name, value pairs: got "
          + attributes.length + " strings");
    }
    for (int i = 0; i < attributes.length; i += 2) {
      out.append(' ').append(attributes[i]).append("=\"").append(escape(attributes[i + 1]))
          .append('"');
    }
  }

  /** Text safe inside an element or a double-quoted attribute. */
  static String escape(String text) {
    StringBuilder s = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> s.append("&amp;");
        case '<' -> s.append("&lt;");
        case '>' -> s.append("&gt;");
        case '"' -> s.append("&quot;");
        case '\'' -> s.append("&#39;");
        default -> {
          // Control characters other than tab and newline are not allowed in XML at all.
          if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
            s.append('\uFFFD');
          } else {
            s.append(c);
          }
        }
      }
    }
    return s.toString();
  }

  @Override
  public String toString() {
    if (!open.isEmpty()) {
      throw new IllegalStateException("page written with <" + open.peek() + "> still open");
    }
    return out.toString();
  }
}
