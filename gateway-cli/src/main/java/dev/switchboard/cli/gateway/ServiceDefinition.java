package dev.switchboard.cli.gateway;

import static java.util.Objects.requireNonNull;

import dev.switchboard.cli.Workspace;
import dev.switchboard.core.owner.ServiceOwner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The service definition {@code gateway install} writes: a systemd user unit or a launchd
 * LaunchAgent plist that runs {@code command} (the JVM, the launcher and {@code gateway run} with
 * the flags naming this state dir). It never carries a secret: secrets stay {@code {env}}/{@code
 * {file}} references in the config, resolved by the gateway when it starts.
 *
 * @param manager systemd or launchd
 * @param profile the {@code --profile}, which names the unit or label
 * @param command the program and its arguments, absolute program path first
 * @param stateDir the state directory: the working directory, and where {@code gateway.env} is
 */
record ServiceDefinition(ServiceManager manager, Optional<String> profile, List<String> command, Path stateDir) {
    /** The file systemd reads the gateway's environment from, if the operator created it. */
    static final String ENVIRONMENT_FILE = Workspace.ENVIRONMENT_FILE;

    private static final Pattern PLIST_STRING = Pattern.compile("<string>(.*?)</string>", Pattern.DOTALL);

    ServiceDefinition {
        requireNonNull(manager, "manager is null");
        requireNonNull(profile, "profile is null");
        command = List.copyOf(requireNonNull(command, "command is null"));
        requireNonNull(stateDir, "stateDir is null");
        if (command.isEmpty()) {
            throw new IllegalArgumentException("command is empty");
        }
    }

    /** The systemd unit name or the launchd label. */
    String name() {
        return manager.serviceName(profile);
    }

    String fileName() {
        return manager.fileName(profile);
    }

    Path environmentFile() {
        return stateDir.resolve(ENVIRONMENT_FILE);
    }

    String render() {
        return manager == ServiceManager.SYSTEMD ? systemdUnit() : launchdPlist();
    }

    private String systemdUnit() {
        return "# Written by 'switchboard gateway install'; holds no secret (secrets stay {env}/{file} refs).\n"
                + "[Unit]\n"
                + "Description=Switchboard gateway"
                + profile.map(p -> " (profile " + p + ")").orElse("") + "\n"
                + "\n"
                + "[Service]\n"
                + "Type=simple\n"
                + "ExecStart="
                + command.stream().map(ServiceDefinition::execArgument).collect(Collectors.joining(" "))
                + "\n"
                + "WorkingDirectory=" + specifierSafe(stateDir.toString()) + "\n"
                // tells the gateway which unit runs it (owner.json), so stop/restart go through systemd
                + "Environment=" + ServiceOwner.SERVICE_ENV + "=" + specifierSafe(name()) + "\n"
                // '-': the file is optional; the operator owns it (environment for {env} secret refs)
                + "EnvironmentFile=-" + specifierSafe(environmentFile().toString()) + "\n"
                + "Restart=always\n"
                + "RestartSec=2\n"
                // 78 is a configuration refusal: restarting cannot help, so systemd must not loop on it
                + "RestartPreventExitStatus=78\n"
                + "\n"
                + "[Install]\n"
                + "WantedBy=default.target\n";
    }

    /**
     * The command a definition of {@code manager} holds, read back from its text: the words of {@code
     * ExecStart} (unquoted and unescaped as systemd does for what {@link #render} writes) or of the
     * plist's {@code ProgramArguments}; empty when the text has none.
     */
    static Optional<List<String>> commandIn(ServiceManager manager, String text) {
        return manager == ServiceManager.SYSTEMD ? execStartWords(text) : programArguments(text);
    }

    private static Optional<List<String>> execStartWords(String unit) {
        Optional<String> line = unit.lines()
                .filter(l -> l.startsWith("ExecStart="))
                .map(l -> l.substring("ExecStart=".length()))
                .findFirst();
        if (line.isEmpty()) {
            return Optional.empty();
        }
        String value = line.get();
        List<String> words = new ArrayList<>();
        int i = 0;
        while (i < value.length()) {
            if (Character.isWhitespace(value.charAt(i))) {
                i++;
                continue;
            }
            StringBuilder word = new StringBuilder();
            if (value.charAt(i) == '"') {
                i++;
                while (i < value.length() && value.charAt(i) != '"') {
                    if (value.charAt(i) == '\\' && i + 1 < value.length()) {
                        i++;
                    }
                    word.append(value.charAt(i++));
                }
                i++; // the closing quote
            } else {
                while (i < value.length() && !Character.isWhitespace(value.charAt(i))) {
                    word.append(value.charAt(i++));
                }
            }
            words.add(word.toString().replace("$$", "$").replace("%%", "%"));
        }
        return Optional.of(words);
    }

    private static Optional<List<String>> programArguments(String plist) {
        int key = plist.indexOf("<key>ProgramArguments</key>");
        int end = key < 0 ? -1 : plist.indexOf("</array>", key);
        if (end < 0) {
            return Optional.empty();
        }
        Matcher strings = PLIST_STRING.matcher(plist.substring(key, end));
        List<String> words = new ArrayList<>();
        while (strings.find()) {
            words.add(strings.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"));
        }
        return Optional.of(words);
    }

    /** One ExecStart word: quoted when it has blanks or quotes, specifiers and variables escaped. */
    private static String execArgument(String word) {
        String escaped = specifierSafe(word).replace("$", "$$");
        if (!escaped.isEmpty()
                && escaped.chars()
                        .noneMatch(c -> Character.isWhitespace(c) || c == '"' || c == '\'' || c == '\\' || c == ';')) {
            return escaped;
        }
        return "\"" + escaped.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** systemd expands {@code %x} specifiers in these settings; a literal percent sign is {@code %%}. */
    private static String specifierSafe(String value) {
        return value.replace("%", "%%");
    }

    private String launchdPlist() {
        StringBuilder xml = new StringBuilder();
        xml.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\"")
                .append(" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n")
                .append("<!-- Written by 'switchboard gateway install'; holds no secret. -->\n")
                .append("<plist version=\"1.0\">\n<dict>\n");
        key(xml, "Label").append("  <string>").append(xmlText(name())).append("</string>\n");
        key(xml, "ProgramArguments").append("  <array>\n");
        for (String word : command) {
            xml.append("    <string>").append(xmlText(word)).append("</string>\n");
        }
        xml.append("  </array>\n");
        key(xml, "WorkingDirectory")
                .append("  <string>")
                .append(xmlText(stateDir.toString()))
                .append("</string>\n");
        // tells the gateway which job runs it (owner.json), so stop/restart go through launchd
        key(xml, "EnvironmentVariables")
                .append("  <dict>\n    <key>")
                .append(ServiceOwner.SERVICE_ENV)
                .append("</key>\n    <string>")
                .append(xmlText(name()))
                .append("</string>\n  </dict>\n");
        key(xml, "RunAtLoad").append("  <true/>\n");
        // restart after a failure, not after a clean stop; launchd has no "never on 78": it throttles
        key(xml, "KeepAlive").append("  <dict>\n    <key>SuccessfulExit</key>\n    <false/>\n  </dict>\n");
        key(xml, "ThrottleInterval").append("  <integer>30</integer>\n");
        key(xml, "StandardOutPath")
                .append("  <string>")
                .append(xmlText(stateDir.resolve("gateway/service.log").toString()))
                .append("</string>\n");
        key(xml, "StandardErrorPath")
                .append("  <string>")
                .append(xmlText(stateDir.resolve("gateway/service.log").toString()))
                .append("</string>\n");
        return xml.append("</dict>\n</plist>\n").toString();
    }

    private static StringBuilder key(StringBuilder xml, String key) {
        return xml.append("  <key>").append(key).append("</key>\n");
    }

    private static String xmlText(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
