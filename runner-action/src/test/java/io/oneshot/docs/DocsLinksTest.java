package io.oneshot.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every relative link in the README and the docs resolves (a file that exists, a heading that exists),
 * and every {@code docs/...} path that an error message or comment in the shipped code names exists.
 */
class DocsLinksTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
  private static final Pattern HEADING = Pattern.compile("^#{1,6} (.+)$", Pattern.MULTILINE);
  private static final Pattern DOCS_PATH = Pattern.compile("(?<![A-Za-z0-9_/.-])docs/[A-Za-z0-9_./-]*[A-Za-z0-9_]");

  private static List<Path> markdownFiles() throws IOException {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(ROOT)) {
      walk.filter(path -> path.toString().endsWith(".md"))
          .filter(path -> Stream.of("target", "node_modules", ".git").noneMatch(part -> path.toString()
              .contains("/" + part + "/")))
          .forEach(files::add);
    }
    return files;
  }

  /** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
  static String anchor(String heading) {
    return heading.trim().toLowerCase(Locale.ROOT).replaceAll("[`*_]", "").replaceAll("[^a-z0-9 -]", "")
        .replace(' ', '-');
  }

  private static Set<String> anchors(Path file) throws IOException {
    Matcher headings = HEADING.matcher(Files.readString(file));
    Set<String> anchors = new java.util.HashSet<>();
    while (headings.find()) {
      anchors.add(anchor(headings.group(1)));
    }
    return anchors;
  }

  @Test
  void everyRelativeLinkInTheDocsResolves() throws IOException {
    List<String> broken = new ArrayList<>();
    List<Path> files = markdownFiles();
    assertThat(files).contains(ROOT.resolve("README.md"));
    for (Path file : files) {
      Matcher links = LINK.matcher(Files.readString(file));
      while (links.find()) {
        String target = links.group(1);
        if (target.matches("[a-z]+:.*")) {
          continue;
        }
        String[] parts = target.split("#", 2);
        Path linked = parts[0].isEmpty() ? file : file.getParent().resolve(parts[0]).normalize();
        if (!Files.exists(linked)) {
          broken.add(ROOT.relativize(file) + ": " + target + " (no such file)");
        } else if (parts.length == 2 && linked.toString().endsWith(".md") && !anchors(linked).contains(parts[1])) {
          broken.add(ROOT.relativize(file) + ": " + target + " (no such heading)");
        }
      }
    }
    assertThat(broken).isEmpty();
  }

  @Test
  void everyDocsPathTheCodeNamesExists() throws IOException {
    List<String> missing = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(ROOT)) {
      List<Path> sources = walk.filter(path -> path.toString().endsWith(".java"))
          .filter(path -> path.toString().contains("/src/main/")).collect(Collectors.toList());
      assertThat(sources).isNotEmpty();
      for (Path source : sources) {
        Matcher paths = DOCS_PATH.matcher(Files.readString(source));
        while (paths.find()) {
          if (!Files.exists(ROOT.resolve(paths.group()))) {
            missing.add(ROOT.relativize(source) + ": " + paths.group());
          }
        }
      }
    }
    assertThat(missing).isEmpty();
  }

  @Test
  void anchorsFollowGitHubsRule() {
    assertThat(anchor("AWS setup (ECS)")).isEqualTo("aws-setup-ecs");
    assertThat(anchor("Google Cloud setup (Cloud Run jobs)")).isEqualTo("google-cloud-setup-cloud-run-jobs");
    assertThat(anchor("The `oneshot` CLI")).isEqualTo("the-oneshot-cli");
  }
}
