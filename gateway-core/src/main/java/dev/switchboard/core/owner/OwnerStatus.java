package dev.switchboard.core.owner;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.owner.internal.OwnerJson;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code gateway status} reports.
 *
 * @param state the conclusion
 * @param owner the owner.json record, when it exists and parses
 * @param problem what was wrong with the owner files, e.g. {@code owner.json is corrupt: ...}
 * @param uptimeMs milliseconds since {@code startedAt} while the lock is held, else 0
 * @param rpc {@code ok}, or why the liveness probe failed or was not attempted
 * @param url {@code ws://host:port} of the owner, when owner.json names a port
 */
public record OwnerStatus(
        OwnerState state,
        Optional<OwnerRecord> owner,
        Optional<String> problem,
        long uptimeMs,
        String rpc,
        Optional<String> url) {

    public OwnerStatus {
        requireNonNull(state, "state is null");
        requireNonNull(owner, "owner is null");
        requireNonNull(problem, "problem is null");
        requireNonNull(rpc, "rpc is null");
        requireNonNull(url, "url is null");
    }

    /**
     * The {@code gateway status --json} object: {@code state} (lower case), every owner.json field
     * (absent when there is no readable owner.json), {@code uptimeMs}, {@code rpc}, {@code url} (null
     * when unknown) and {@code problem} (only when there is one). Values are plain JSON types: maps,
     * lists, strings, numbers, booleans and nulls.
     */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("state", state.wireName());
        owner.ifPresent(o -> json.putAll(OwnerJson.toMap(o)));
        json.put("uptimeMs", uptimeMs);
        json.put("rpc", rpc);
        json.put("url", url.orElse(null));
        problem.ifPresent(p -> json.put("problem", p));
        return json;
    }
}
