package io.oneshot.fakes.ecs.internal;

/** A minimal XML writer for EC2 query-protocol answers. Not thread-safe; one per answer. */
public final class Xml {
  /** EC2's API namespace. */
  public static final String EC2_NAMESPACE = "http://ec2.amazonaws.com/doc/2016-11-15/";

  private final StringBuilder out = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");

  /** Opens an element, with the EC2 namespace when {@code namespaced}. */
  public Xml open(String name, boolean namespaced) {
    out.append('<').append(name);
    if (namespaced) {
      out.append(" xmlns=\"").append(EC2_NAMESPACE).append('"');
    }
    out.append('>');
    return this;
  }

  public Xml open(String name) {
    return open(name, false);
  }

  public Xml close(String name) {
    out.append("</").append(name).append('>');
    return this;
  }

  /** {@code <name>text</name>}, escaped. */
  public Xml element(String name, Object text) {
    out.append('<').append(name).append('>').append(escape(String.valueOf(text))).append("</").append(name).append('>');
    return this;
  }

  @Override
  public String toString() {
    return out.toString();
  }

  private static String escape(String text) {
    StringBuilder escaped = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '<' -> escaped.append("&lt;");
        case '>' -> escaped.append("&gt;");
        case '&' -> escaped.append("&amp;");
        case '"' -> escaped.append("&quot;");
        case '\'' -> escaped.append("&apos;");
        default -> escaped.append(c);
      }
    }
    return escaped.toString();
  }

  /** EC2's error document. */
  public static String error(String code, String message, String requestId) {
    return new Xml().open("Response").open("Errors").open("Error").element("Code", code).element("Message", message)
        .close("Error").close("Errors").element("RequestID", requestId).close("Response").toString();
  }
}
