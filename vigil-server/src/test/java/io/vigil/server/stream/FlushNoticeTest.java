package io.vigil.server.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.store.EventChannel;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The notices a node publishes after a flush: metric names and its node id only, within the channel's size limit. */
class FlushNoticeTest {
    @Test
    void encode_fewMetrics_oneMessageWithTheNodeIdAndTheNames_thatDecodesBack() {
        List<String> messages = FlushNotice.encode("node-a", Set.of("wedding_photo_upload_seconds",
                "guest_checkins_total"), false, true);
        assertThat(messages).containsExactly("{\"v\":1,\"node\":\"node-a\",\"newSeries\":true,"
                + "\"metrics\":[\"guest_checkins_total\",\"wedding_photo_upload_seconds\"]}");
        FlushNotice n = FlushNotice.decode(messages.get(0));
        assertThat(n).isEqualTo(new FlushNotice("node-a", Set.of("wedding_photo_upload_seconds",
                "guest_checkins_total"), false, true));
    }

    @Test
    void encode_manyMetrics_splitsOverMessagesWithinThePayloadLimit_losingNone() {
        Set<String> metrics = IntStream.range(0, 150).mapToObj(i -> "platform_metric_with_a_long_name_" + i + "_total")
                .collect(Collectors.toSet());
        List<String> messages = FlushNotice.encode("node-b", metrics, false, false);
        assertThat(messages).hasSizeBetween(2, FlushNotice.MAX_MESSAGES);
        Set<String> decoded = new HashSet<>();
        for (String m : messages) {
            assertThat(m.length()).isLessThanOrEqualTo(EventChannel.MAX_PAYLOAD_CHARS);
            FlushNotice n = FlushNotice.decode(m);
            assertThat(n.node()).isEqualTo("node-b");
            assertThat(n.all()).isFalse();
            decoded.addAll(n.metrics());
        }
        assertThat(decoded).isEqualTo(metrics);
    }

    @Test
    void encode_moreMetricsThanFitInMaxMessages_orAnOversizedName_isOneAllNotice() {
        Set<String> metrics = IntStream.range(0, 2_000).mapToObj(i -> "metric_" + i).collect(Collectors.toSet());
        List<String> messages = FlushNotice.encode("node-c", metrics, false, true);
        assertThat(messages).containsExactly("{\"v\":1,\"node\":\"node-c\",\"newSeries\":true,\"all\":true}");
        FlushNotice n = FlushNotice.decode(messages.get(0));
        assertThat(n.all()).isTrue();
        assertThat(n.metrics()).isEmpty();
        assertThat(n.newSeries()).isTrue();

        assertThat(FlushNotice.encode("node-c", Set.of("m".repeat(EventChannel.MAX_PAYLOAD_CHARS)), false, false))
                .singleElement().asString().contains("\"all\":true");
        assertThat(FlushNotice.encode("node-c", Set.of("m"), true, false))
                .containsExactly("{\"v\":1,\"node\":\"node-c\",\"newSeries\":false,\"all\":true}");
    }

    @Test
    void decode_otherPayloads_areNotNotices() {
        assertThat(FlushNotice.decode("series 42 +17")).isNull();
        assertThat(FlushNotice.decode("[]")).isNull();
        assertThat(FlushNotice.decode("{\"v\":2,\"node\":\"n\",\"metrics\":[\"m\"]}")).isNull();
        assertThat(FlushNotice.decode("{\"v\":1,\"metrics\":[\"m\"]}")).isNull();
        assertThat(FlushNotice.decode("{\"v\":1,\"node\":\"n\",\"metrics\":[]}")).isNull();
    }
}
