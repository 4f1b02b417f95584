package io.vigil.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.server.config.VigilConfig;
import io.vigil.store.postgres.PostgresSettings;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageBackendTest {
    @TempDir
    Path dir;

    private static VigilConfig.Storage postgres(VigilConfig.Postgres pg) {
        return new VigilConfig.Storage("postgres", pg, null, null, null, null, null, null);
    }

    @Test
    void settings_missingUrl_saysWhereToGiveIt() {
        VigilConfig.Postgres pg = new VigilConfig.Postgres(null, "vigil", null, null, null);
        assertThatThrownBy(() -> StorageBackend.settings(pg, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("storage.postgres.url").hasMessageContaining("VIGIL_POSTGRES_URL");
    }

    @Test
    void settings_missingUser_saysWhereToGiveIt() {
        VigilConfig.Postgres pg = new VigilConfig.Postgres("jdbc:postgresql://h/v", null, null, null, null);
        assertThatThrownBy(() -> StorageBackend.settings(pg, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("VIGIL_POSTGRES_USER");
    }

    @Test
    void settings_passwordFromItsVariable_isNotShown() {
        VigilConfig.Postgres pg = new VigilConfig.Postgres(null, null, null, "DB_SECRET", 3);
        PostgresSettings s = StorageBackend.settings(pg, Map.of("VIGIL_POSTGRES_URL", "jdbc:postgresql://h:5/v",
                "VIGIL_POSTGRES_USER", "vigil", "DB_SECRET", "tulle-and-lace-42"));
        assertThat(s.password()).isEqualTo("tulle-and-lace-42");
        assertThat(s.maxPoolSize()).isEqualTo(3);
        assertThat(s.toString()).doesNotContain("tulle-and-lace-42");
    }

    @Test
    void open_invalidNodeId_isRefusedBeforeAnythingOpens() {
        assertThatThrownBy(() -> StorageBackend.open(postgres(new VigilConfig.Postgres(null, null, null, null, null)),
                dir, "web 1; drop", Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("node id was 'web 1; drop'");
    }

    @Test
    void open_embedded_holdsEveryLease() {
        StorageBackend b = StorageBackend.open(VigilConfig.DEFAULTS.storage(), dir, "node-1", Map.of());
        try {
            assertThat(b.maintenanceLease().tryAcquire()).isTrue();
            assertThat(b.describe()).contains("embedded store");
        } finally {
            b.store().close();
            b.releaseNodeId();
        }
    }
}
