package io.vigil.core.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PersonalDataTest {
    @Test
    void emailsPhonesAndTokens_areFoundAndRedacted() {
        String text = "olivia.hartley@example.com called +44 7700 900123 with key sk_live_4eC39HqLyjWDarjtT1zdp7dc";
        assertThat(PersonalData.found(text)).isTrue();
        assertThat(PersonalData.redact(text)).isEqualTo("[redacted] called [redacted] with key [redacted]")
                .doesNotContain("olivia", "7700", "4eC39");
    }

    @Test
    void ordinaryLabelValues_areLeftAlone() {
        for (String value : new String[] {"/api/weddings/{id}/photos", "mobile", "503", "photographer",
                "europe-west1", "2026-06-13T14:00", "guest_list"}) {
            assertThat(PersonalData.found(value)).as(value).isFalse();
            assertThat(PersonalData.redact(value)).isEqualTo(value);
        }
    }
}
