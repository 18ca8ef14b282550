package dev.switchboard.cli.doctor;

import dev.switchboard.cli.CliEnvironment;
import dev.switchboard.cli.GlobalOptions;
import dev.switchboard.cli.gateway.InstalledService;
import dev.switchboard.cli.gateway.ServiceDifference;
import dev.switchboard.core.SwitchboardException;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The doctor's {@code service} line: is a service definition installed for this profile, and is it
 * still what {@code gateway install} would write (the same java, JVM options, jar and flags)? A unit
 * left behind by an upgrade would start an old jar, or no jar at all. Each difference is one line
 * ({@code jar: old → new}); {@code doctor --fix} rewrites the unit ({@link DoctorFixes}).
 */
final class ServiceCheck {
    static final String NAME = "service";

    private ServiceCheck() {}

    static Check run(GlobalOptions globals, CliEnvironment env) {
        Optional<InstalledService> installed;
        try {
            installed = InstalledService.find(globals, env);
        } catch (IOException e) {
            return Check.warn(NAME, "cannot read the service definition: " + e, "check the file's permissions");
        } catch (SwitchboardException e) {
            return Check.warn(NAME, e.getMessage(), "fix the variable it names");
        }
        if (installed.isEmpty()) {
            return Check.ok(NAME, "not installed (optional: switchboard" + globals.stateFlags() + " gateway install)");
        }
        InstalledService service = installed.get();
        List<ServiceDifference> differences = service.differences();
        if (differences.isEmpty()) {
            return Check.ok(
                    NAME, service.manager() + " " + service.name() + " installed, up to date (" + service.file() + ")");
        }
        return new Check(
                NAME,
                Check.Status.WARN,
                "unit is out of date: " + service.file() + " differs from what gateway install writes now:\n"
                        + differences.stream().map(ServiceDifference::toString).collect(Collectors.joining("\n")),
                Optional.of("switchboard" + globals.stateFlags() + " doctor --fix (rewrites it as gateway install"
                        + " --force does), then: " + service.reloadCommand()),
                differences);
    }
}
