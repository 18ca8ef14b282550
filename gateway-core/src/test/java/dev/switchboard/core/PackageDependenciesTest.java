package dev.switchboard.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * Keeps core's areas ({@code config}, {@code secrets}, {@code server}, ...; an area's {@code
 * internal} package belongs to it) free of dependency cycles, read from the compiled classes with
 * {@code jdeps}: a cycle is how a structure turns into one big ball. The root package is the facade
 * ({@code Gateway}); the areas may use only its {@code SwitchboardException}.
 */
class PackageDependenciesTest {
    private static final String CORE = "dev.switchboard.core";
    private static final Pattern EDGE =
            Pattern.compile("^\\s*(dev\\.switchboard\\.core[\\w.$]*)\\s+->\\s+(dev\\.switchboard\\.core[\\w.$]*)\\s");

    @Test
    void noAreaDependsOnAnotherThatDependsBackOnIt() {
        Map<String, Set<String>> areas = new TreeMap<>();
        for (String[] edge : classEdges()) {
            String from = area(packageOf(edge[0]));
            String to = area(packageOf(edge[1]));
            if (!from.equals(to) && !to.equals(CORE)) {
                areas.computeIfAbsent(from, key -> new TreeSet<>()).add(to);
            }
        }
        assertThat(areas).as("jdeps found the areas").containsKeys(CORE + ".server", CORE + ".config");
        assertThat(cycles(areas)).as("dependency cycles between core's areas").isEmpty();
    }

    @Test
    void theAreasUseNothingOfTheRootPackageButItsException() {
        Set<String> used = new TreeSet<>();
        for (String[] edge : classEdges()) {
            if (!packageOf(edge[0]).equals(CORE) && packageOf(edge[1]).equals(CORE)) {
                used.add(edge[1].replaceAll("\\$.*", ""));
            }
        }
        assertThat(used).containsOnly(CORE + ".SwitchboardException");
    }

    /** Every class-to-class dependency inside core, as jdeps prints it. */
    private static List<String[]> classEdges() {
        Path classes = Path.of("target", "classes");
        assertThat(Files.isDirectory(classes))
                .as("%s (run from gateway-core)", classes.toAbsolutePath())
                .isTrue();
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        StringWriter out = new StringWriter();
        int code = jdeps.run(
                new PrintWriter(out),
                new PrintWriter(out),
                "-verbose:class",
                "-e",
                "dev\\.switchboard\\.core\\..*|dev\\.switchboard\\.core\\.[A-Z].*",
                classes.toString());
        assertThat(code).as(out.toString()).isZero();
        List<String[]> edges = new ArrayList<>();
        for (String line : out.toString().split("\\R", -1)) {
            Matcher matcher = EDGE.matcher(line);
            if (matcher.find()) {
                edges.add(new String[] {matcher.group(1), matcher.group(2)});
            }
        }
        assertThat(edges).as(out.toString()).isNotEmpty();
        return edges;
    }

    private static String packageOf(String className) {
        return className.substring(0, className.lastIndexOf('.'));
    }

    /** {@code dev.switchboard.core.server.internal} is part of the {@code server} area. */
    private static String area(String pkg) {
        if (pkg.equals(CORE) || pkg.equals(CORE + ".internal")) {
            return pkg;
        }
        String[] parts = pkg.substring(CORE.length() + 1).split("\\.", -1);
        return CORE + "." + parts[0];
    }

    /** The areas on a cycle, as {@code a -> b -> a} paths (empty when there is none). */
    private static List<String> cycles(Map<String, Set<String>> graph) {
        List<String> found = new ArrayList<>();
        for (String start : graph.keySet()) {
            Deque<List<String>> paths = new ArrayDeque<>();
            paths.push(List.of(start));
            while (!paths.isEmpty()) {
                List<String> path = paths.pop();
                for (String next : graph.getOrDefault(path.get(path.size() - 1), Set.of())) {
                    if (next.equals(start)) {
                        found.add(String.join(" -> ", path) + " -> " + start);
                    } else if (!path.contains(next) && next.compareTo(start) > 0) {
                        List<String> longer = new ArrayList<>(path);
                        longer.add(next);
                        paths.push(longer);
                    }
                }
            }
        }
        return found;
    }
}
