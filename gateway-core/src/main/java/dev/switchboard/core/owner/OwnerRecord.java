package dev.switchboard.core.owner;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.switchboard.core.owner.internal.GatewayOwner;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The content of {@code <state>/gateway/owner.json}: who owns the state directory, where it listens
 * and how far it got. Immutable; change it with {@link #toBuilder()} or the {@code with...} methods.
 *
 * <p>Its JSON form is {@link dev.switchboard.core.owner.internal.OwnerJson}'s: the component names,
 * unknown fields ignored on read so an older CLI can inspect a newer gateway.
 *
 * @param instanceId random, new per start; the healthz probe must answer with it
 * @param pid the owner's process id
 * @param pidStartTime epoch millis the owner process started, to tell it from a recycled pid
 * @param mode how the gateway was started
 * @param session the attached session name, if any
 * @param version the Switchboard version of the owner
 * @param configPath the config file the owner loaded, if any
 * @param configChecksum the checksum of that file's bytes as the owner loaded the config in force
 *     ({@link dev.switchboard.core.config.ConfigChecksum}, CRC-32): from the start, and again after
 *     each reload it adopts. Only a file that loads without a problem starts or reloads a gateway, so
 *     an unchanged file with this checksum loads (what the quick {@code health} relies on). Empty on
 *     built-in defaults
 * @param stateDir the owned state directory
 * @param bind the address the server binds, e.g. {@code 127.0.0.1}
 * @param port the bound port; empty until the server is bound
 * @param portSource where the port came from
 * @param startedAt when the owner acquired the state directory
 * @param heartbeatAt the last heartbeat (every 5 s while running); informational only, the lock decides
 * @param phase the lifecycle phase
 * @param channels per channel account: state and last error
 * @param shutdownReason why the owner stopped, once stopping
 * @param lastError the last fatal error, if any
 * @param service the service manager that started the owner (systemd unit, launchd label), if one did
 */
public record OwnerRecord(
        String instanceId,
        long pid,
        OptionalLong pidStartTime,
        Mode mode,
        Optional<String> session,
        String version,
        Optional<String> configPath,
        Optional<String> configChecksum,
        String stateDir,
        String bind,
        OptionalInt port,
        PortSource portSource,
        Instant startedAt,
        Instant heartbeatAt,
        Phase phase,
        List<ChannelStatus> channels,
        Optional<String> shutdownReason,
        Optional<String> lastError,
        Optional<ServiceOwner> service) {

    public OwnerRecord {
        requireNonNull(instanceId, "instanceId is null");
        pidStartTime = pidStartTime == null ? OptionalLong.empty() : pidStartTime;
        requireNonNull(mode, "mode is null");
        session = session == null ? Optional.empty() : session;
        requireNonNull(version, "version is null");
        configPath = configPath == null ? Optional.empty() : configPath;
        configChecksum = configChecksum == null ? Optional.empty() : configChecksum;
        requireNonNull(stateDir, "stateDir is null");
        requireNonNull(bind, "bind is null");
        port = port == null ? OptionalInt.empty() : port;
        if (port.isPresent() && (port.getAsInt() < 0 || port.getAsInt() > 65535)) {
            throw new IllegalArgumentException("port: " + port.getAsInt() + " (expected: 0..65535)");
        }
        requireNonNull(portSource, "portSource is null");
        requireNonNull(startedAt, "startedAt is null");
        requireNonNull(heartbeatAt, "heartbeatAt is null");
        requireNonNull(phase, "phase is null");
        channels = channels == null ? List.of() : List.copyOf(channels);
        shutdownReason = shutdownReason == null ? Optional.empty() : shutdownReason;
        lastError = lastError == null ? Optional.empty() : lastError;
        // absent in an owner.json written before the field existed
        service = service == null ? Optional.empty() : service;
    }

    /** How the gateway was started. */
    public enum Mode {
        GATEWAY,
        MULTI_CHANNEL_SERVE;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The owner's lifecycle phase. */
    public enum Phase {
        STARTING,
        RUNNING,
        STOPPING,
        STOPPED,
        FAILED;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Starting, running or stopping: a record in such a phase with a free lock is stale. */
        public boolean live() {
            return this == STARTING || this == RUNNING || this == STOPPING;
        }

        /** Stopped or failed: the phases an owner may end in. */
        public boolean terminal() {
            return this == STOPPED || this == FAILED;
        }
    }

    /**
     * One channel account's state as the owner last saw it.
     *
     * @param channel provider id, e.g. {@code telegram}
     * @param account account id
     * @param state the adapter's state, e.g. {@code connected}
     * @param lastError the account's last error, if any
     */
    public record ChannelStatus(String channel, String account, String state, Optional<String> lastError) {
        public ChannelStatus {
            requireNonNull(channel, "channel is null");
            requireNonNull(account, "account is null");
            requireNonNull(state, "state is null");
            lastError = lastError == null ? Optional.empty() : lastError;
        }
    }

    /** A fresh random instance id. */
    public static String newInstanceId() {
        return UUID.randomUUID().toString();
    }

    /**
     * A builder for a record describing the current process starting now: a fresh instance id, this
     * process's pid and start time, phase {@code starting}, bind {@code 127.0.0.1}, port source
     * {@code default}, no port yet. Set the session, config path, bind and port before or after
     * {@link GatewayOwner#acquire}.
     */
    public static Builder forStart(OwnerPaths paths, Mode mode, String version, Clock clock) {
        requireNonNull(paths, "paths is null");
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        ProcessHandle self = ProcessHandle.current();
        return new Builder()
                .instanceId(newInstanceId())
                .pid(self.pid())
                .pidStartTime(startTimeOf(self))
                .mode(mode)
                .version(version)
                .stateDir(paths.stateDir().toString())
                .bind("127.0.0.1")
                .portSource(PortSource.DEFAULT)
                .startedAt(now)
                .heartbeatAt(now)
                .phase(Phase.STARTING);
    }

    /** An empty builder; every non-optional field must be set. */
    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public OwnerRecord withPhase(Phase newPhase) {
        return toBuilder().phase(newPhase).build();
    }

    public OwnerRecord withHeartbeatAt(Instant at) {
        return toBuilder().heartbeatAt(at).build();
    }

    public OwnerRecord withPort(int boundPort) {
        return toBuilder().port(boundPort).build();
    }

    public OwnerRecord withChannels(List<ChannelStatus> newChannels) {
        return toBuilder().channels(newChannels).build();
    }

    public OwnerRecord withConfigChecksum(@Nullable String checksum) {
        return toBuilder().configChecksum(checksum).build();
    }

    public static OptionalLong startTimeOf(ProcessHandle process) {
        return process.info()
                .startInstant()
                .map(i -> OptionalLong.of(i.toEpochMilli()))
                .orElse(OptionalLong.empty());
    }

    /** Builds an {@link OwnerRecord}; optional fields default to empty, channels to none. */
    public static final class Builder {
        private @Nullable String instanceId;
        private long pid;
        private OptionalLong pidStartTime = OptionalLong.empty();
        private @Nullable Mode mode;
        private Optional<String> session = Optional.empty();
        private @Nullable String version;
        private Optional<String> configPath = Optional.empty();
        private Optional<String> configChecksum = Optional.empty();
        private @Nullable String stateDir;
        private @Nullable String bind;
        private OptionalInt port = OptionalInt.empty();
        private @Nullable PortSource portSource;
        private @Nullable Instant startedAt;
        private @Nullable Instant heartbeatAt;
        private @Nullable Phase phase;
        private List<ChannelStatus> channels = List.of();
        private Optional<String> shutdownReason = Optional.empty();
        private Optional<String> lastError = Optional.empty();
        private Optional<ServiceOwner> service = Optional.empty();

        private Builder() {}

        private Builder(OwnerRecord r) {
            instanceId = r.instanceId;
            pid = r.pid;
            pidStartTime = r.pidStartTime;
            mode = r.mode;
            session = r.session;
            version = r.version;
            configPath = r.configPath;
            configChecksum = r.configChecksum;
            stateDir = r.stateDir;
            bind = r.bind;
            port = r.port;
            portSource = r.portSource;
            startedAt = r.startedAt;
            heartbeatAt = r.heartbeatAt;
            phase = r.phase;
            channels = r.channels;
            shutdownReason = r.shutdownReason;
            lastError = r.lastError;
            service = r.service;
        }

        public Builder instanceId(String value) {
            instanceId = value;
            return this;
        }

        public Builder pid(long value) {
            pid = value;
            return this;
        }

        public Builder pidStartTime(OptionalLong value) {
            pidStartTime = requireNonNull(value, "pidStartTime is null");
            return this;
        }

        public Builder pidStartTime(long epochMillis) {
            return pidStartTime(OptionalLong.of(epochMillis));
        }

        public Builder mode(Mode value) {
            mode = value;
            return this;
        }

        /** The attached session, or {@code null} for none. */
        public Builder session(@Nullable String value) {
            session = Optional.ofNullable(value);
            return this;
        }

        public Builder version(String value) {
            version = value;
            return this;
        }

        /** The loaded config file, or {@code null} for none. */
        public Builder configPath(@Nullable String value) {
            configPath = Optional.ofNullable(value);
            return this;
        }

        /** The loaded config file's checksum, or {@code null} for none. */
        public Builder configChecksum(@Nullable String value) {
            configChecksum = Optional.ofNullable(value);
            return this;
        }

        public Builder stateDir(String value) {
            stateDir = value;
            return this;
        }

        public Builder bind(String value) {
            bind = value;
            return this;
        }

        public Builder port(int value) {
            port = OptionalInt.of(value);
            return this;
        }

        public Builder port(OptionalInt value) {
            port = requireNonNull(value, "port is null");
            return this;
        }

        public Builder portSource(PortSource value) {
            portSource = value;
            return this;
        }

        public Builder startedAt(Instant value) {
            startedAt = value;
            return this;
        }

        public Builder heartbeatAt(Instant value) {
            heartbeatAt = value;
            return this;
        }

        public Builder phase(Phase value) {
            phase = value;
            return this;
        }

        public Builder channels(List<ChannelStatus> value) {
            channels = requireNonNull(value, "channels is null");
            return this;
        }

        /** Why the owner stopped, or {@code null} for none. */
        public Builder shutdownReason(@Nullable String value) {
            shutdownReason = Optional.ofNullable(value);
            return this;
        }

        /** The last fatal error, or {@code null} for none. */
        public Builder lastError(@Nullable String value) {
            lastError = Optional.ofNullable(value);
            return this;
        }

        public Builder service(Optional<ServiceOwner> value) {
            service = requireNonNull(value, "service is null");
            return this;
        }

        public OwnerRecord build() {
            return new OwnerRecord(
                    requireNonNull(instanceId, "instanceId is not set"),
                    pid,
                    pidStartTime,
                    requireNonNull(mode, "mode is not set"),
                    session,
                    requireNonNull(version, "version is not set"),
                    configPath,
                    configChecksum,
                    requireNonNull(stateDir, "stateDir is not set"),
                    requireNonNull(bind, "bind is not set"),
                    port,
                    requireNonNull(portSource, "portSource is not set"),
                    requireNonNull(startedAt, "startedAt is not set"),
                    requireNonNull(heartbeatAt, "heartbeatAt is not set"),
                    requireNonNull(phase, "phase is not set"),
                    channels,
                    shutdownReason,
                    lastError,
                    service);
        }
    }
}
