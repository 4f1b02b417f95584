package io.vigil.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.store.Lease;
import java.sql.Connection;
import java.sql.PreparedStatement;
import org.junit.jupiter.api.Test;

/** Against the real PostgreSQL that ./vigil test starts (see PostgresMetricStoreTest). */
class PostgresLeaseTest {

    private static PostgresSettings settings() {
        return TestDatabase.settings(2);
    }

    @Test
    void tryAcquire_onlyOneNodeHoldsIt_untilTheHolderCloses() {
        try (Lease a = new PostgresLease(settings(), "downsampling");
             Lease b = new PostgresLease(settings(), "downsampling");
             Lease other = new PostgresLease(settings(), "alert-evaluation")) {
            assertThat(a.tryAcquire()).isTrue();
            assertThat(a.tryAcquire()).isTrue();
            assertThat(b.tryAcquire()).isFalse();
            assertThat(other.tryAcquire()).isTrue();
            a.close();
            assertThat(b.tryAcquire()).isTrue();
            assertThat(a.tryAcquire()).isFalse();
        }
    }

    @Test
    void holderSessionKilled_anotherNodeTakesOver_andTheOldHolderKnowsItLostIt() throws Exception {
        try (Lease a = new PostgresLease(settings(), "retention");
             Lease b = new PostgresLease(settings(), "retention");
             Connection admin = TestDatabase.connect()) {
            assertThat(a.tryAcquire()).isTrue();
            assertThat(b.tryAcquire()).isFalse();
            // What a SIGKILLed node or a cut network looks like to PostgreSQL: the session ends.
            try (PreparedStatement kill = admin.prepareStatement(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ?")) {
                kill.setString(1, "vigil-lease-retention");
                kill.execute();
            }
            long deadline = System.nanoTime() + 15_000_000_000L;
            boolean taken = false;
            while (!taken && System.nanoTime() < deadline) {
                taken = b.tryAcquire();
                if (!taken) {
                    Thread.sleep(100);
                }
            }
            assertThat(taken).as("another node holds the lease within 15 s").isTrue();
            assertThat(a.tryAcquire()).as("the killed holder no longer claims it").isFalse();
        }
    }

    @Test
    void localLease_isAlwaysHeld() {
        try (Lease local = Lease.local("downsampling")) {
            assertThat(local.tryAcquire()).isTrue();
            assertThat(local.name()).isEqualTo("downsampling");
        }
    }
}
