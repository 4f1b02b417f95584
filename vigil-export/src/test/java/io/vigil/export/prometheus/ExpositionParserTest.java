package io.vigil.export.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The test parser must refuse what Prometheus would, or the exposition tests would prove nothing. */
class ExpositionParserTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "# TYPE a gauge\na 1", // no final line feed
            "a 1\n", // no TYPE before the sample
            "# TYPE a gauge\n# TYPE a gauge\na 1\n", // two TYPEs
            "# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\na 2\n", // a's lines not contiguous
            "# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\n# HELP a again\n", // a's block reopened
            "# TYPE a gauge\na{x=\"1\"} 1\na{x=\"1\"} 2\n", // a repeated series
            "# TYPE a gauge\na{x=\"q\"uote\"} 1\n", // an unescaped quote
            "# TYPE a gauge\na{x=\"back\\slash\"} 1\n", // an unknown escape
            "# TYPE a gauge\na{x.y=\"1\"} 1\n", // an invalid label name
            "# TYPE a-b gauge\n", // an invalid metric name
            "# TYPE a gauge\na one\n", // not a number
            "# TYPE a summary\na 1\n", // a summary sample without quantile
            "# TYPE a gauge\na 1\n\n", // an empty line
    })
    void parse_refusesTextsPrometheusWouldRefuse(String text) {
        assertThatThrownBy(() -> ExpositionParser.parse(text)).isInstanceOf(AssertionError.class);
    }

    @org.junit.jupiter.api.Test
    void parse_readsAValidText_andUnescapesLabelValues() {
        ExpositionParser.Parsed p = ExpositionParser.parse("""
                # HELP a_total Help with a \\\\ backslash\\nand a line.
                # TYPE a_total counter
                a_total{route="/x\\"y\\\\z\\nw"} 3
                # TYPE s summary
                s{quantile="0.5"} NaN
                s_sum 1.5e3
                s_count 2
                """);
        assertThat(p.value("a_total", "route", "/x\"y\\z\nw")).isEqualTo(3);
        assertThat(p.value("s_sum")).isEqualTo(1500);
        assertThat(p.value("s", "quantile", "0.5")).isNaN();
    }
}
