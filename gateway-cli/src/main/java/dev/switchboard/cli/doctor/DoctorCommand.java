package dev.switchboard.cli.doctor;

import static java.util.Objects.requireNonNull;

import dev.switchboard.cli.CliEnvironment;
import dev.switchboard.cli.ExitCodes;
import dev.switchboard.cli.GatewayTargets;
import dev.switchboard.cli.GlobalOptions;
import dev.switchboard.cli.PluginLocations;
import dev.switchboard.cli.doctor.Check.Status;
import dev.switchboard.cli.gateway.ServiceDifference;
import dev.switchboard.cli.internal.JsonOption;
import dev.switchboard.core.channel.plugins.ChannelPlugins;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code switchboard doctor}: a checklist of what could stop the gateway from working, one line per
 * check with a fix hint. Each account's credentials are probed: by the running gateway for the accounts it
 * serves, else by an adapter created here and never started ({@link CredentialChecks}). Exit 1 when a check fails, else 0 (warnings included).
 */
@Command(name = "doctor", mixinStandardHelpOptions = true, description = "Check the installation and config.")
public final class DoctorCommand implements Callable<Integer> {
    @Mixin
    private JsonOption json;

    @Option(
            names = "--fix",
            description = "Repair what can be repaired safely: create the state dir, tighten state file permissions,"
                    + " remove a dead gateway's owner files, write a starter config with a generated token file,"
                    + " rewrite an out-of-date service definition.")
    private boolean fix;

    private final GlobalOptions globals;
    private final CliEnvironment env;
    private final GatewayTargets targets;
    private final Provider<PluginLocations> pluginLocations;
    private final Provider<ChannelPlugins> plugins;

    @Inject
    DoctorCommand(
            GlobalOptions globals,
            CliEnvironment env,
            GatewayTargets targets,
            Provider<PluginLocations> pluginLocations,
            Provider<ChannelPlugins> plugins) {
        this.globals = requireNonNull(globals, "globals is null");
        this.env = requireNonNull(env, "env is null");
        this.targets = requireNonNull(targets, "targets is null");
        this.pluginLocations = requireNonNull(pluginLocations, "pluginLocations is null");
        this.plugins = requireNonNull(plugins, "plugins is null");
    }

    @Override
    public Integer call() {
        Doctor.Report report = new Doctor(globals, env, targets, pluginLocations.get(), plugins.get()).run(fix);
        json.print(env.out(), toJson(report), out -> print(report, out));
        return report.ok() ? ExitCodes.OK : ExitCodes.RUNTIME;
    }

    /** The {@code --json} object; documented in docs/cli.md. */
    static Map<String, Object> toJson(Doctor.Report report) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("ok", report.ok());
        Map<String, Object> summary = new LinkedHashMap<>();
        for (Status status : Status.values()) {
            summary.put(status.wireName(), report.count(status));
        }
        json.put("summary", summary);
        List<Object> checks = new ArrayList<>();
        for (Check check : report.checks()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("name", check.name());
            c.put("status", check.status().wireName());
            c.put("detail", check.detail());
            c.put("fix", check.fix().orElse(null));
            if (check.name().equals(ServiceCheck.NAME)) {
                c.put(
                        "differences",
                        check.differences().stream().map(DoctorCommand::toJson).toList());
            }
            checks.add(c);
        }
        json.put("checks", checks);
        json.put("fixesApplied", report.fixesApplied());
        json.put("fixesDeclined", report.fixesDeclined());
        return json;
    }

    private static Map<String, Object> toJson(ServiceDifference difference) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("key", difference.key());
        json.put("installed", difference.installed());
        json.put("expected", difference.expected());
        return json;
    }

    static void print(Doctor.Report report, PrintStream out) {
        out.println("switchboard doctor: " + report.stateDir());
        for (String applied : report.fixesApplied()) {
            out.println("fixed: " + applied);
        }
        for (String declined : report.fixesDeclined()) {
            out.println("not fixed: " + declined);
        }
        out.println();
        printChecks(report, out);
    }

    /** The checklist and its summary line: what {@code doctor} and {@code setup} print alike. */
    static void printChecks(Doctor.Report report, PrintStream out) {
        int nameWidth =
                report.checks().stream().mapToInt(c -> c.name().length()).max().orElse(0);
        String indent = " ".repeat(4 + 2 + nameWidth + 2);
        for (Check check : report.checks()) {
            List<String> lines = check.detail().lines().toList();
            out.println(pad(check.status().wireName(), 4) + "  " + pad(check.name(), nameWidth) + "  "
                    + (lines.isEmpty() ? "" : lines.get(0)));
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                out.println(indent + line);
            }
            check.fix().ifPresent(f -> out.println(indent + "fix: " + f));
        }
        out.println();
        out.println(report.count(Status.FAIL) + " failed, " + Doctor.plural(report.count(Status.WARN), "warning") + ", "
                + report.count(Status.OK) + " ok, " + report.count(Status.SKIP) + " skipped");
        out.flush();
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text : text + " ".repeat(width - text.length());
    }
}
