package dev.switchboard.core.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Who owns an account: the same answer everywhere, an even spread, and little movement on a change. */
class RendezvousTest {
    private static final List<AccountKey> ACCOUNTS = IntStream.range(0, 3000)
            .mapToObj(i -> new AccountKey("telegram", "bot" + i))
            .toList();

    @Test
    void theOwnerDoesNotDependOnTheOrderOfTheMembers() {
        for (AccountKey account : ACCOUNTS.subList(0, 100)) {
            assertThat(Rendezvous.owner(List.of("r1", "r2", "r3"), account))
                    .isEqualTo(Rendezvous.owner(List.of("r3", "r1", "r2"), account));
        }
    }

    @Test
    void accountsSpreadEvenlyOverTheMembers() {
        Map<String, Integer> counts = owners(List.of("r1", "r2", "r3"));
        assertThat(counts.values()).allSatisfy(count -> assertThat(count).isBetween(900, 1100));
    }

    @Test
    void aMemberLeavingMovesOnlyItsOwnAccounts() {
        List<String> three = List.of("r1", "r2", "r3");
        List<String> two = List.of("r1", "r2");
        for (AccountKey account : ACCOUNTS) {
            String before = Rendezvous.owner(three, account).orElseThrow();
            String after = Rendezvous.owner(two, account).orElseThrow();
            if (!before.equals("r3")) {
                assertThat(after).as(account.name()).isEqualTo(before);
            }
        }
    }

    @Test
    void noMemberNoOwner() {
        assertThat(Rendezvous.owner(List.of(), ACCOUNTS.get(0))).isEmpty();
    }

    private static Map<String, Integer> owners(List<String> members) {
        Map<String, Integer> counts = new HashMap<>();
        ACCOUNTS.forEach(a -> counts.merge(Rendezvous.owner(members, a).orElseThrow(), 1, Integer::sum));
        return counts;
    }
}
