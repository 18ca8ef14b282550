package dev.switchboard.core.reload;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.config.AccountConfig;
import dev.switchboard.core.config.ConfigKeys;
import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.core.reload.internal.ConfigPaths;
import dev.switchboard.core.secrets.SecretSnapshot;
import dev.switchboard.spi.ReloadKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Diffs two activations of a config into a {@link ReloadPlan}. Pure: touches nothing. */
public final class ReloadPlanner {
    private final ReloadRules rules;

    public ReloadPlanner(ReloadRules rules) {
        this.rules = requireNonNull(rules, "rules is null");
    }

    /**
     * A configuration as it is (or would be) running.
     *
     * @param accounts the accounts it runs: the selection plus outbound-only accounts
     */
    public record Activation(GatewayConfig config, SecretSnapshot secrets, List<AccountConfig> accounts) {
        public Activation {
            requireNonNull(config, "config is null");
            requireNonNull(secrets, "secrets is null");
            accounts = List.copyOf(requireNonNull(accounts, "accounts is null"));
        }

        Map<String, AccountConfig> byName() {
            Map<String, AccountConfig> byName = new LinkedHashMap<>();
            accounts.forEach(account -> byName.put(account.channelId() + "." + account.accountId(), account));
            return byName;
        }
    }

    public ReloadPlan plan(Activation before, Activation after) {
        List<ReloadPlan.Change> changes = new ArrayList<>();
        for (String path : ConfigPaths.changed(
                ConfigPaths.of(before.config(), before.secrets()), ConfigPaths.of(after.config(), after.secrets()))) {
            changes.add(new ReloadPlan.Change(path, rules.kindOf(path)));
        }
        Map<String, AccountConfig> was = before.byName();
        Map<String, AccountConfig> will = after.byName();
        List<String> restarted = new ArrayList<>();
        List<String> updated = new ArrayList<>();
        for (Map.Entry<String, AccountConfig> entry : will.entrySet()) {
            if (!was.containsKey(entry.getKey())) {
                continue;
            }
            AccountConfig account = entry.getValue();
            String prefix = account.channelId() + "." + ConfigKeys.ACCOUNTS + "." + account.accountId();
            boolean live = false;
            boolean restart = false;
            for (ReloadPlan.Change change : changes) {
                if (change.path().equals(prefix) || change.path().startsWith(prefix + ".")) {
                    live |= change.kind() == ReloadKind.HOT;
                    restart |= change.kind() != ReloadKind.HOT;
                }
            }
            if (restart) {
                restarted.add(entry.getKey());
            } else if (live) {
                updated.add(entry.getKey());
            }
        }
        List<String> started =
                will.keySet().stream().filter(name -> !was.containsKey(name)).toList();
        List<String> stopped =
                was.keySet().stream().filter(name -> !will.containsKey(name)).toList();
        return new ReloadPlan(changes, restarted, started, stopped, updated);
    }
}
