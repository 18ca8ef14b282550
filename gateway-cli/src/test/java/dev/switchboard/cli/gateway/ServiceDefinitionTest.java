package dev.switchboard.cli.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

class ServiceDefinitionTest {
    private static final List<String> COMMAND = List.of(
            "/opt/jdk/bin/java", "-jar", "/opt/s&b/switchboard.jar", "--state-dir", "/srv/<sb>", "gateway", "run");

    @TempDir
    Path temp;

    @Test
    void macOsGetsALaunchAgentPlistWithTheLabelAndTheProgramArguments() throws Exception {
        ServiceDefinition definition =
                new ServiceDefinition(ServiceManager.LAUNCHD, Optional.empty(), COMMAND, Path.of("/srv/<sb>"));
        ServiceFiles files = new ServiceFiles(temp);

        assertThat(files.write(definition, false)).isEqualTo(ServiceFiles.Written.CREATED);

        Path plist = temp.resolve("dev.switchboard.gateway.plist");
        Element dict = parse(Files.readAllBytes(plist));
        assertThat(value(dict, "Label").getTextContent()).isEqualTo("dev.switchboard.gateway");
        assertThat(strings(value(dict, "ProgramArguments"))).isEqualTo(COMMAND);
        assertThat(value(dict, "WorkingDirectory").getTextContent()).isEqualTo("/srv/<sb>");
        Element keepAlive = value(dict, "KeepAlive");
        assertThat(value(keepAlive, "SuccessfulExit").getTagName()).isEqualTo("false");
        assertThat(value(dict, "RunAtLoad").getTagName()).isEqualTo("true");
    }

    @Test
    void aProfileNamesTheLabelAndTheFile() {
        ServiceDefinition definition =
                new ServiceDefinition(ServiceManager.LAUNCHD, Optional.of("docs"), COMMAND, Path.of("/srv"));

        assertThat(definition.name()).isEqualTo("dev.switchboard.docs");
        assertThat(new ServiceFiles(temp).file(definition)).isEqualTo(temp.resolve("dev.switchboard.docs.plist"));
        assertThat(ServiceManager.LAUNCHD.userDirectory(Path.of("/Users/a")))
                .isEqualTo(Path.of("/Users/a/Library/LaunchAgents"));
        assertThat(ServiceManager.forOsName("Mac OS X")).isEqualTo(ServiceManager.LAUNCHD);
        assertThat(ServiceManager.forOsName("Linux")).isEqualTo(ServiceManager.SYSTEMD);
    }

    @Test
    void systemdExecStartQuotesBlanksAndEscapesSpecifiersAndVariables() {
        ServiceDefinition definition = new ServiceDefinition(
                ServiceManager.SYSTEMD,
                Optional.empty(),
                List.of("/opt/jdk/bin/java", "-jar", "/opt/my apps/sb.jar", "--state-dir", "/srv/100%$HOME"),
                Path.of("/srv/100%"));

        assertThat(definition.render().lines())
                .contains(
                        "ExecStart=/opt/jdk/bin/java -jar \"/opt/my apps/sb.jar\" --state-dir /srv/100%%$$HOME",
                        "WorkingDirectory=/srv/100%%");
    }

    private static Element parse(byte[] xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        // the DOCTYPE names Apple's DTD by URL: never fetch it
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Element plist = factory.newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml))
                .getDocumentElement();
        assertThat(plist.getTagName()).isEqualTo("plist");
        return child(plist, 0);
    }

    /** The element after {@code <key>name</key>} in a plist dict. */
    private static Element value(Element dict, String name) {
        List<Element> children = elements(dict);
        for (int i = 0; i < children.size() - 1; i++) {
            if (children.get(i).getTagName().equals("key")
                    && children.get(i).getTextContent().equals(name)) {
                return children.get(i + 1);
            }
        }
        throw new AssertionError("no key " + name + " in " + dict.getTagName());
    }

    private static List<String> strings(Element array) {
        return elements(array).stream().map(Node::getTextContent).toList();
    }

    private static Element child(Element parent, int index) {
        return elements(parent).get(index);
    }

    private static List<Element> elements(Element parent) {
        List<Element> elements = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element element) {
                elements.add(element);
            }
        }
        return elements;
    }

    @Test
    void theCommandIsReadBackFromEitherFileAsItWasWritten() {
        List<String> tricky = List.of(
                "/opt/my jdk/bin/java",
                "-Dx=\"quoted\"",
                "-jar",
                "/opt/s&b/100%/$HOME/switchboard.jar",
                "--state-dir",
                "/srv/<sb> \\ dir",
                "gateway",
                "run");
        for (ServiceManager manager : ServiceManager.values()) {
            ServiceDefinition definition =
                    new ServiceDefinition(manager, Optional.empty(), tricky, Path.of("/srv/<sb> \\ dir"));

            assertThat(ServiceDefinition.commandIn(manager, definition.render()))
                    .as(manager.name())
                    .contains(tricky);
        }
        assertThat(ServiceDefinition.commandIn(ServiceManager.SYSTEMD, "[Service]\nType=simple\n"))
                .isEmpty();
    }

    @Test
    void aCommandLineDiffersByPartWithTheInstalledAndTheExpectedValue() {
        ServiceCommandLine installed = ServiceCommandLine.parse(List.of(
                "/opt/jdk-17/bin/java",
                "-jar",
                "/opt/switchboard-0.1/switchboard.jar",
                "--state-dir",
                "/srv/sb",
                "gateway",
                "run"));
        ServiceCommandLine wanted = ServiceCommandLine.parse(List.of(
                "/opt/jdk-17/bin/java",
                "-Xmx256m",
                "-jar",
                "/opt/switchboard-0.2/switchboard.jar",
                "--state-dir",
                "/srv/sb",
                "--profile",
                "work",
                "--config",
                "/etc/sb.toml",
                "gateway",
                "run"));

        assertThat(installed.differencesTo(wanted))
                .extracting(ServiceDifference::toString)
                .containsExactly(
                        "JVM options: (none) → -Xmx256m",
                        "jar: /opt/switchboard-0.1/switchboard.jar → /opt/switchboard-0.2/switchboard.jar",
                        "profile: (none) → work",
                        "config: (none) → /etc/sb.toml");
        assertThat(wanted.differencesTo(wanted)).isEmpty();
    }
}
