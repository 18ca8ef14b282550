/**
 * The channel SPI, version {@value dev.switchboard.spi.SpiVersion#CURRENT}: what a chat platform module
 * implements so the gateway can run bot accounts on it. Reference: {@code docs/spi.md}; a walk-through:
 * {@code docs/writing-a-channel.md}.
 *
 * <h2>Who implements what</h2>
 *
 * <ul>
 *   <li>The channel implements {@link dev.switchboard.spi.ChannelProvider} (stateless, one per platform,
 *       found with {@link java.util.ServiceLoader}) and {@link dev.switchboard.spi.ChannelAdapter} (one
 *       per account, created by the provider for each start).
 *   <li>The gateway implements {@link dev.switchboard.spi.ChannelContext}, {@link
 *       dev.switchboard.spi.InboundSink}, {@link dev.switchboard.spi.StatusReporter} and {@link
 *       dev.switchboard.spi.WebhookRegistration}, and hands them to the adapter.
 *   <li>Values cross as immutable records ({@link dev.switchboard.spi.InboundMessage}, {@link
 *       dev.switchboard.spi.OutboundMessage}, {@link dev.switchboard.spi.AccountSettings}, ...); failures as
 *       {@link dev.switchboard.spi.SendException} (from the adapter) and {@link
 *       dev.switchboard.spi.InboundRejectedException} (from the gateway).
 * </ul>
 *
 * <h2>Threads</h2>
 *
 * <p>Each account has a supervisor thread in the gateway that calls {@code create}, {@code start()} and
 * {@code close()}; {@code send}, {@code typing} and {@code probe} come from other gateway threads, also
 * while the adapter's own threads run. The adapter receives on threads it starts itself (or, for a
 * webhook, on the gateway's worker threads through its {@link dev.switchboard.spi.WebhookHandler}) and
 * calls the gateway's objects from any of them: they are thread-safe. What may block is said on each
 * method; nothing the gateway hands over may be blocked on for long from the shared {@link
 * java.util.concurrent.ScheduledExecutorService}.
 *
 * <h2>Nulls</h2>
 *
 * <p>No method of this package accepts or returns {@code null} unless its documentation says so (a
 * {@code cause} may be null); optional values are {@link java.util.Optional}, lists and sets are empty,
 * never null.
 *
 * <h2>Versions</h2>
 *
 * <p>{@link dev.switchboard.spi.SpiVersion#CURRENT} changes only with an incompatible change; within a
 * version the SPI only grows, and methods added to an interface are {@code default} methods. A provider
 * compiled against another version is refused when the gateway starts, naming its jar.
 *
 * <p>Retries: {@link dev.switchboard.spi.Backoff} is the one retry rule of the gateway (doubling delays
 * with equal jitter); a channel uses it for its own reconnects and polls.
 *
 * <p>The agent SPI, how the gateway gets its answers, lives in {@link dev.switchboard.spi.agent}.
 */
package dev.switchboard.spi;
