package io.vigil.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** LISTEN/NOTIFY between two "nodes", against the real PostgreSQL that ./vigil test starts. */
class PostgresEventChannelTest {

    private static PostgresSettings settings() {
        return TestDatabase.settings(1);
    }

    private static void awaitListening(PostgresEventChannel c) throws InterruptedException {
        for (int i = 0; i < 100 && !c.listening(); i++) {
            Thread.sleep(50);
        }
        assertThat(c.listening()).isTrue();
    }

    @Test
    void publishOnNodeA_isReceivedOnNodeB_andOnA() throws Exception {
        try (PostgresEventChannel a = new PostgresEventChannel(settings(), "vigil_ingest");
             PostgresEventChannel b = new PostgresEventChannel(settings(), "vigil_ingest");
             PostgresEventChannel other = new PostgresEventChannel(settings(), "vigil_alerts")) {
            LinkedBlockingQueue<String> onA = new LinkedBlockingQueue<>();
            LinkedBlockingQueue<String> onB = new LinkedBlockingQueue<>();
            LinkedBlockingQueue<String> onOther = new LinkedBlockingQueue<>();
            a.subscribe(onA::add);
            b.subscribe(onB::add);
            other.subscribe(onOther::add);
            awaitListening(a);
            awaitListening(b);
            awaitListening(other);
            a.publish("series 42 +17");
            assertThat(onB.poll(10, TimeUnit.SECONDS)).isEqualTo("series 42 +17");
            assertThat(onA.poll(10, TimeUnit.SECONDS)).isEqualTo("series 42 +17");
            assertThat(onOther.poll(500, TimeUnit.MILLISECONDS)).isNull();
        }
    }

    @Test
    void badChannelOrOversizedPayload_isRefused() {
        assertThatThrownBy(() -> new PostgresEventChannel(settings(), "x; DROP TABLE series"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lower-case letters");
        try (PostgresEventChannel a = new PostgresEventChannel(settings(), "vigil_ingest")) {
            assertThatThrownBy(() -> a.publish("x".repeat(2001))).hasMessageContaining("longer than 2000");
        }
    }
}
