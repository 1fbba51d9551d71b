package io.oneshot.fakes.ecs.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An EC2 query-protocol request body ({@code Action=...&Version=...&Filter.1.Name=...}) decoded into its
 * parameters, with the indexed lists ({@code SubnetId.N}, {@code Filter.N.Value.M}) gathered in index
 * order. Immutable.
 */
public final class QueryRequest {
  private static final Pattern FILTER = Pattern.compile("Filter\\.(\\d+)\\.(Name|Value\\.(\\d+))");

  /** One {@code Filter.N}: a name and the values ORed together. */
  public record Filter(String name, List<String> values) {}

  private final Map<String, String> params;

  private QueryRequest(Map<String, String> params) {
    this.params = Collections.unmodifiableMap(params);
  }

  /** Decodes {@code application/x-www-form-urlencoded} text. */
  public static QueryRequest parse(String body) {
    Map<String, String> params = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      params.put(key, value);
    }
    return new QueryRequest(params);
  }

  public Map<String, String> params() {
    return params;
  }

  public Optional<String> get(String name) {
    return Optional.ofNullable(params.get(name));
  }

  /** The values of {@code prefix.1}, {@code prefix.2}, ... in index order. */
  public List<String> indexed(String prefix) {
    Pattern pattern = Pattern.compile(Pattern.quote(prefix) + "\\.(\\d+)");
    TreeMap<Integer, String> values = new TreeMap<>();
    params.forEach((key, value) -> {
      Matcher m = pattern.matcher(key);
      if (m.matches()) {
        values.put(Integer.parseInt(m.group(1)), value);
      }
    });
    return new ArrayList<>(values.values());
  }

  /** The filters, in index order; a filter without a name gets the name {@code ""}. */
  public List<Filter> filters() {
    TreeMap<Integer, String> names = new TreeMap<>();
    TreeMap<Integer, TreeMap<Integer, String>> values = new TreeMap<>();
    params.forEach((key, value) -> {
      Matcher m = FILTER.matcher(key);
      if (m.matches()) {
        int n = Integer.parseInt(m.group(1));
        if (m.group(3) == null) {
          names.put(n, value);
        } else {
          values.computeIfAbsent(n, k -> new TreeMap<>()).put(Integer.parseInt(m.group(3)), value);
        }
      }
    });
    TreeMap<Integer, Boolean> indexes = new TreeMap<>();
    names.keySet().forEach(n -> indexes.put(n, true));
    values.keySet().forEach(n -> indexes.put(n, true));
    List<Filter> filters = new ArrayList<>();
    for (int n : indexes.keySet()) {
      filters.add(new Filter(names.getOrDefault(n, ""), new ArrayList<>(values.getOrDefault(n, new TreeMap<>()).values())));
    }
    return filters;
  }
}
