package io.vigil.store.postgres;

import java.time.Duration;
import java.util.List;

/**
 * A node of its own for {@link WorkClaimsTest}: run as a separate JVM, it claims and completes work items of one kind
 * until none is left, printing the key of each item it completed, one per line.
 *
 * <p>Arguments: JDBC URL, user, node id, kind.
 */
public final class ClaimRacer {
    private ClaimRacer() {}

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String user = args[1];
        String node = args[2];
        String kind = args[3];
        try (PostgresMetricStore store = PostgresMetricStore.open(new PostgresSettings(url, user, "", 2), node)) {
            WorkClaims claims = new WorkClaims(store.dataSource());
            System.out.println("ready");
            System.out.flush();
            if (System.in.read() < 0) { // the test releases both racers at once
                return;
            }
            List<WorkClaims.Item> got;
            do {
                got = claims.claim(kind, node, 5, Duration.ofMinutes(1));
                for (WorkClaims.Item item : got) {
                    Thread.sleep(1); // the work itself, such as sending one notification
                    if (claims.complete(item.id(), node)) {
                        System.out.println(item.key());
                    }
                }
            } while (!got.isEmpty());
        }
    }
}
