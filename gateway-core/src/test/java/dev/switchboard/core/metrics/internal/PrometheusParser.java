package dev.switchboard.core.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Reads a scrape with the Prometheus project's own parser, {@code
 * prometheus_client.parser.text_string_to_metric_families} of Debian's {@code
 * python3-prometheus-client} (run with {@code /usr/bin/python3}: {@code python3} on the PATH may be
 * another interpreter without it). A body it cannot parse fails the test with the parser's error.
 */
final class PrometheusParser {
    static final String PYTHON = "/usr/bin/python3";
    private static final String SCRIPT =
            """
            import json, math, sys
            try:
                from prometheus_client.parser import text_string_to_metric_families
            except ImportError as e:
                print("MISSING: " + str(e), file=sys.stderr)
                sys.exit(3)
            families = []
            for family in text_string_to_metric_families(sys.stdin.read()):
                samples = []
                for s in family.samples:
                    value = s.value if math.isfinite(s.value) else str(s.value)
                    samples.append({"name": s.name, "labels": s.labels, "value": value})
                families.append({"name": family.name, "type": family.type, "samples": samples})
            print(json.dumps(families))
            """;

    /** One metric family as the parser reported it. */
    record Family(String name, String type, java.util.List<Sample> samples) {
        /** The value of the sample named {@code sample} with exactly these labels (among others). */
        Optional<Double> value(String sample, Map<String, String> labels) {
            return samples.stream()
                    .filter(s ->
                            s.name().equals(sample) && s.labels().entrySet().containsAll(labels.entrySet()))
                    .map(Sample::value)
                    .findFirst();
        }
    }

    record Sample(String name, Map<String, String> labels, double value) {}

    private PrometheusParser() {}

    /** The families of {@code body} by name, as {@code text_string_to_metric_families} parsed them. */
    static Map<String, Family> parse(String body) throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            fail(PYTHON + " is missing: install Debian's python3 and python3-prometheus-client"
                    + " (apt-get install python3-prometheus-client; .ci/run does)");
        }
        Process process = new ProcessBuilder(PYTHON, "-c", SCRIPT).start();
        try (OutputStream in = process.getOutputStream()) {
            in.write(body.getBytes(StandardCharsets.UTF_8));
        }
        byte[] out = process.getInputStream().readAllBytes();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS))
                .as("the parser finished")
                .isTrue();
        if (process.exitValue() == 3) {
            fail(PYTHON + " cannot import prometheus_client (" + err.strip()
                    + "): install Debian's python3-prometheus-client (apt-get install python3-prometheus-client;"
                    + " .ci/run does)");
        }
        assertThat(process.exitValue())
                .as("the Prometheus parser rejected the scrape: %s%n--- body ---%n%s", err, body)
                .isZero();
        Map<String, Family> families = new TreeMap<>();
        for (JsonNode family : new ObjectMapper().readTree(out)) {
            java.util.List<Sample> samples = new java.util.ArrayList<>();
            for (JsonNode sample : family.get("samples")) {
                Map<String, String> labels = new LinkedHashMap<>();
                sample.get("labels")
                        .fields()
                        .forEachRemaining(
                                e -> labels.put(e.getKey(), e.getValue().asText()));
                JsonNode value = sample.get("value");
                samples.add(new Sample(
                        sample.get("name").asText(), labels, value.isNumber() ? value.asDouble() : Double.NaN));
            }
            families.put(
                    family.get("name").asText(),
                    new Family(family.get("name").asText(), family.get("type").asText(), samples));
        }
        return families;
    }
}
