package dev.switchboard.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.SwitchboardException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLocatorTest {
    @TempDir
    Path home;

    private ConfigLocator locator(Map<String, String> env) {
        return new ConfigLocator(env, home);
    }

    @Test
    void stateDirDefaultsToDotSwitchboard() {
        assertThat(locator(Map.of()).stateDir(Optional.empty(), Optional.empty(), false))
                .isEqualTo(home.resolve(".switchboard"));
    }

    @Test
    void profileAndDevPickTheirOwnStateDir() {
        ConfigLocator locator = locator(Map.of());

        assertThat(locator.stateDir(Optional.empty(), Optional.of("work"), false))
                .isEqualTo(home.resolve(".switchboard-work"));
        assertThat(locator.stateDir(Optional.empty(), Optional.empty(), true))
                .isEqualTo(home.resolve(".switchboard-dev"));
    }

    @Test
    void badProfilesAndDevWithProfileAreUsageErrors() {
        ConfigLocator locator = locator(Map.of());

        assertThatThrownBy(() -> locator.stateDir(Optional.empty(), Optional.of("../etc"), false))
                .isInstanceOfSatisfying(SwitchboardException.class, e -> assertThat(e.kind())
                        .isEqualTo(SwitchboardException.Kind.USAGE))
                .hasMessageContaining("--profile '../etc'");
        assertThatThrownBy(() -> locator.stateDir(Optional.empty(), Optional.of("work"), true))
                .hasMessage("--dev and --profile cannot be used together");
    }

    @Test
    void envBeatsDefaultAndFlagBeatsEnv() {
        ConfigLocator locator = locator(Map.of("SWITCHBOARD_STATE_DIR", "/srv/sb-env"));

        assertThat(locator.stateDir(Optional.empty(), Optional.empty(), false)).isEqualTo(Path.of("/srv/sb-env"));
        assertThat(locator.stateDir(Optional.empty(), Optional.of("work"), false))
                .isEqualTo(Path.of("/srv/sb-env"));
        assertThat(locator.stateDir(Optional.of(Path.of("/srv/sb-flag")), Optional.empty(), true))
                .isEqualTo(Path.of("/srv/sb-flag"));
    }

    @Test
    void blankEnvIsIgnoredAndTildeExpands() {
        assertThat(locator(Map.of("SWITCHBOARD_STATE_DIR", "  ")).stateDir(Optional.empty(), Optional.empty(), false))
                .isEqualTo(home.resolve(".switchboard"));
        assertThat(locator(Map.of("SWITCHBOARD_STATE_DIR", "~/sb")).stateDir(Optional.empty(), Optional.empty(), false))
                .isEqualTo(home.resolve("sb"));
    }

    @Test
    void findsTheFirstExistingFileInConfTomlJsonOrder() throws Exception {
        Path state = home.resolve(".switchboard");
        Files.createDirectories(state);
        Files.writeString(state.resolve("switchboard.json"), "{}");
        Files.writeString(state.resolve("switchboard.toml"), "");

        ConfigLocator.ConfigLocations found =
                locator(Map.of()).locate(Optional.empty(), Optional.empty(), Optional.empty(), false);

        assertThat(found.stateDir()).isEqualTo(state);
        assertThat(found.configFile()).contains(state.resolve("switchboard.toml"));
        assertThat(found.searched())
                .containsExactly(state.resolve("switchboard.conf"), state.resolve("switchboard.toml"));

        Files.writeString(state.resolve("switchboard.conf"), "");
        assertThat(locator(Map.of())
                        .locate(Optional.empty(), Optional.empty(), Optional.empty(), false)
                        .configFile())
                .contains(state.resolve("switchboard.conf"));
    }

    @Test
    void nothingFoundListsEverythingSearched() {
        ConfigLocator.ConfigLocations found =
                locator(Map.of()).locate(Optional.empty(), Optional.empty(), Optional.of("work"), false);

        Path state = home.resolve(".switchboard-work");
        assertThat(found.configFile()).isEmpty();
        assertThat(found.searched())
                .containsExactly(
                        state.resolve("switchboard.conf"),
                        state.resolve("switchboard.toml"),
                        state.resolve("switchboard.json"));
        assertThat(Files.exists(state)).as("the locator creates nothing").isFalse();
    }

    @Test
    void envConfigPathBeatsTheStateDirAndTheFlagBeatsTheEnv() throws Exception {
        Path state = home.resolve(".switchboard");
        Files.createDirectories(state);
        Files.writeString(state.resolve("switchboard.conf"), "");
        Path fromEnv = Files.writeString(home.resolve("env.toml"), "");
        Path fromFlag = Files.writeString(home.resolve("flag.json"), "{}");
        ConfigLocator locator = locator(Map.of("SWITCHBOARD_CONFIG_PATH", fromEnv.toString()));

        ConfigLocator.ConfigLocations byEnv =
                locator.locate(Optional.empty(), Optional.empty(), Optional.empty(), false);
        assertThat(byEnv.configFile()).contains(fromEnv);
        assertThat(byEnv.searched()).containsExactly(fromEnv);
        assertThat(byEnv.stateDir()).isEqualTo(state);

        assertThat(locator.locate(Optional.of(fromFlag), Optional.empty(), Optional.empty(), false)
                        .configFile())
                .contains(fromFlag);
    }

    @Test
    void anExplicitPathThatDoesNotExistIsAnErrorNotAFallback() throws Exception {
        Path state = home.resolve(".switchboard");
        Files.createDirectories(state);
        Files.writeString(state.resolve("switchboard.conf"), "");
        Path missing = home.resolve("missing.conf");

        assertThatThrownBy(
                        () -> locator(Map.of()).locate(Optional.of(missing), Optional.empty(), Optional.empty(), false))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config file " + missing + " (from --config) does not exist");
        assertThatThrownBy(() -> locator(Map.of("SWITCHBOARD_CONFIG_PATH", missing.toString()))
                        .locate(Optional.empty(), Optional.empty(), Optional.empty(), false))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config file " + missing + " (from SWITCHBOARD_CONFIG_PATH) does not exist");
        assertThatThrownBy(
                        () -> locator(Map.of()).locate(Optional.of(state), Optional.empty(), Optional.empty(), false))
                .hasMessage("config file " + state + " (from --config) is not a regular file");
    }

    @Test
    void stateDirFlagIsSearched() throws Exception {
        Path custom = home.resolve("custom");
        Files.createDirectories(custom);
        Files.writeString(custom.resolve("switchboard.json"), "{}");

        ConfigLocator.ConfigLocations found =
                locator(Map.of()).locate(Optional.empty(), Optional.of(custom), Optional.empty(), false);

        assertThat(found.configFile()).contains(custom.resolve("switchboard.json"));
        assertThat(found.searched()).hasSize(3);
        assertThat(List.copyOf(found.searched())).last().isEqualTo(custom.resolve("switchboard.json"));
    }

    @Test
    void stateDirectoriesAreCreatedOwnerOnly() throws Exception {
        Path dir = home.resolve("a/b/state");

        assertThat(StateDirectories.ensure(dir)).isEqualTo(dir);

        assertThat(Files.isDirectory(dir)).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
                .isEqualTo("rwx------");
        assertThat(StateDirectories.ensure(dir)).isEqualTo(dir); // idempotent

        Path file = Files.writeString(home.resolve("file"), "");
        assertThatThrownBy(() -> StateDirectories.ensure(file))
                .isInstanceOf(SwitchboardException.class)
                .hasMessageContaining("exists but is not a directory");
    }
}
