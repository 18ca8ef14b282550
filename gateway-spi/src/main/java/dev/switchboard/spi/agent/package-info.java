/**
 * The agent SPI: what answers a user's message (SPEC §6). The gateway calls {@link
 * dev.switchboard.spi.agent.AgentRuntime#run} once per inbound message, serially per session and in
 * parallel across sessions; the run streams its reply as deltas and completes an {@link
 * dev.switchboard.spi.agent.AgentRun}'s future with an {@link dev.switchboard.spi.agent.AgentResult} or
 * an {@link dev.switchboard.spi.agent.AgentException}. Built-in runtimes ({@code echo}, {@code openai})
 * live in {@code gateway-core}.
 *
 * <p>As in {@link dev.switchboard.spi}: nothing is {@code null} unless documented, records are
 * immutable, and methods added later are {@code default} methods.
 */
package dev.switchboard.spi.agent;
