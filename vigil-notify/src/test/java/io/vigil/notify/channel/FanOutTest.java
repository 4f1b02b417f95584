package io.vigil.notify.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.outbound.SendOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FanOutTest {

    @Test
    void combine_deliveredOnlyWhenAllWere_retryWhenAnyMayPass_elseRejected_countsNotNames() {
        SendOutcome ok = new SendOutcome.Delivered(201);
        SendOutcome busy = new SendOutcome.Retry("http 429", 429, Duration.ofSeconds(5));
        SendOutcome down = new SendOutcome.Retry("http 503", 503, Duration.ofSeconds(20));
        SendOutcome bad = new SendOutcome.Rejected("http 400 twilio error 21211", 400);

        assertThat(FanOut.combine(List.of(ok, ok))).isEqualTo(ok);
        assertThat(FanOut.combine(List.of(bad))).isEqualTo(bad);
        assertThat(FanOut.combine(List.of(busy))).isEqualTo(busy);
        assertThat(FanOut.combine(List.of(ok, bad, ok)))
                .isEqualTo(new SendOutcome.Rejected("http 400 twilio error 21211 for 1 of 3 recipients", 400));
        assertThat(FanOut.combine(List.of(busy, ok, down)))
                .isEqualTo(new SendOutcome.Retry("http 429 for 2 of 3 recipients", 429, Duration.ofSeconds(20)));
        assertThat(FanOut.combine(List.of(bad, busy)))
                .isEqualTo(new SendOutcome.Retry("http 429 for 1 of 2 recipients; http 400 twilio error 21211 for 1 of 2",
                        429, Duration.ofSeconds(5)));
    }

    @Test
    void remembersWhoGotAKey_forTheLatestKeysOnly() {
        FanOut f = new FanOut();
        f.sent("k1", List.of("+447700900123"));
        f.sent("k1", List.of("+14155550100"));
        f.sent("k2", List.of());

        assertThat(f.alreadySent("k1")).isEqualTo(Set.of("+447700900123", "+14155550100"));
        assertThat(f.alreadySent("k2")).isEmpty();

        for (int i = 0; i < FanOut.REMEMBERED_KEYS; i++) {
            f.sent("other-" + i, List.of("+447700900999"));
        }
        assertThat(f.alreadySent("k1")).isEmpty();
        assertThat(f.alreadySent("other-" + (FanOut.REMEMBERED_KEYS - 1))).hasSize(1);
    }
}
